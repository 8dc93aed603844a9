"""The dashboard's filter: year, quarter and the centers the staff member may choose."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lms.centers.models import Center
from lms.reports.selectors import QUARTER_LABELS, YEAR_MAX, YEAR_MIN


class ReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("연도"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    quarter = forms.TypedChoiceField(
        label=_("분기"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("연간"))]
        + [(q, f"{q}분기 ({label})") for q, label in enumerate(QUARTER_LABELS, 1)],
    )
    center = forms.ModelChoiceField(
        label=_("센터"),
        queryset=Center.objects.none(),
        required=False,
        empty_label=_("전체 센터"),
    )

    def __init__(self, *args, centers: QuerySet[Center], all_centers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        field.queryset = centers
        if not all_centers:
            # A center's own staff report on their center; there is nothing to choose.
            field.empty_label = None
