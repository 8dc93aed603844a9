"""Forms other features reuse: the stated reason of a bulk export of personal data."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from core.uploads import check_upload
from lms.privacy.services import EXPORT_REASON_MIN_LENGTH


class ExportReasonForm(forms.Form):
    """Put in front of any export view; pass `cleaned_data["reason"]` to export_start."""

    reason = forms.CharField(
        label=_("내보내기 사유"),
        min_length=EXPORT_REASON_MIN_LENGTH,
        max_length=300,
        help_text=_("개인정보가 담긴 파일입니다. 업무상 필요한 사유를 적어 주세요."),
        error_messages={"required": _("내보내기 사유를 적어 주세요.")},
    )


class ContentCheckedDocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing a file whose content is not what its name says."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "read") and getattr(uploaded, "name", ""):
            check_upload(uploaded, purpose="document")
        return uploaded
