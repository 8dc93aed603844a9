"""Forms of the organization portal pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.courses import Category, CoursePage
from core.types import validate_bounded_date
from core.uploads import check_upload


class InvitationCsvForm(forms.Form):
    file = forms.FileField(
        label=_("직원 명단 CSV (이름, 이메일[, 휴대전화])"),
        help_text=_("첫 줄에 '이름,이메일,휴대전화' 머리글을 둘 수 있습니다."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded, purpose="import")
        return uploaded


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("법정의무교육 강의"),
        queryset=CoursePage.objects.none(),
        empty_label=_("강의를 고르세요"),
    )
    deadline = forms.DateField(
        label=_("이수 기한"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_bounded_date],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            CoursePage.objects.live()
            .filter(category=Category.STATUTORY)
            .order_by("title")
        )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("이수 기한은 오늘 이후여야 합니다."))
        return deadline


class EvidenceForm(forms.Form):
    reason = forms.CharField(
        label=_("내려받는 사유"),
        min_length=5,
        max_length=300,
        help_text=_("개인정보가 담긴 파일입니다. 사유는 접근 기록에 남습니다."),
        error_messages={"min_length": _("사유를 5자 이상 적어 주세요.")},
    )
