"""Forms of the learning pages."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# SLA-2026-ABCD-2345; typed by hand, so spaces and lower case are forgiven.
CERTIFICATE_NUMBER = re.compile(r"^SLA-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")


class CertificateLookupForm(forms.Form):
    number = forms.CharField(
        label=_("수료증 번호"),
        max_length=40,
        help_text=_(
            "수료증 맨 위 「제 … 호」에 적힌 번호입니다. 예: SLA-2026-ABCD-2345"
        ),
        error_messages={"required": _("수료증 번호를 입력해 주세요.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}
        ),
    )

    def clean_number(self) -> str:
        number = re.sub(r"\s+", "", self.cleaned_data["number"]).upper()
        if not CERTIFICATE_NUMBER.match(number):
            raise forms.ValidationError(
                _(
                    "수료증 번호의 형식이 맞지 않습니다. "
                    "SLA-연도-네 글자-네 글자 형식으로 입력해 주세요."
                )
            )
        return number
