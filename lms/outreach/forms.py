"""Forms of the public application, the follow-up page and the trainer portal."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.time import SEOUL, WEEKDAYS
from core.types import validate_bounded_date
from core.uploads import check_upload
from lms.accounts.models import Organization
from lms.centers.models import District
from lms.outreach.models import (
    MAX_ATTENDEES,
    MIN_PARTICIPANTS,
    REPORT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Accessibility,
    Audience,
    RequestState,
)
from lms.privacy.forms import ExportReasonForm
from lms.surveys.models import COMMENT_MAX_LENGTH
from lms.trainers.models import Topic

SLOT_COUNT = 3


class ApplicationForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    organization_name = forms.CharField(label=_("기관·단체 이름"), max_length=120)
    organization_kind = forms.ChoiceField(
        label=_("기관 유형"), choices=Organization.Kind.choices
    )
    contact_name = forms.CharField(label=_("담당자 이름"), max_length=50)
    contact_phone = forms.RegexField(
        label=_("담당자 연락처"),
        regex=r"^0\d{1,2}-?\d{3,4}-?\d{4}$",
        error_messages={"invalid": _("연락처를 010-1234-5678 형식으로 입력해 주세요.")},
    )
    contact_email = forms.EmailField(
        label=_("담당자 이메일"),
        error_messages={"invalid": _("올바른 이메일 주소를 입력해 주세요.")},
    )
    participants = forms.IntegerField(
        label=_("참여 인원"),
        min_value=MIN_PARTICIPANTS,
        max_value=MAX_ATTENDEES,
        error_messages={"min_value": _("참여 인원은 10명 이상이어야 합니다.")},
    )
    address = forms.CharField(label=_("교육 장소 주소"), max_length=200)
    district = forms.ModelChoiceField(
        label=_("자치구"), queryset=District.objects.all(), empty_label=_("선택")
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("교육 주제"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("교육 주제를 하나 이상 골라 주세요.")},
    )
    audience = forms.ChoiceField(label=_("교육 대상"), choices=Audience.choices)
    accessibility = forms.MultipleChoiceField(
        label=_("접근성 지원"),
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.CharField(
        label=_("외국어 청중의 언어(예: vi, en)"), max_length=8, required=False
    )
    notes = forms.CharField(
        label=_("기타 요청 사항"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, SLOT_COUNT + 1):
            required = i == 1
            self.fields[f"slot{i}_date"] = forms.DateField(
                label=_("희망 일시 %(n)s — 날짜") % {"n": i},
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}),
                validators=[validate_bounded_date],
                error_messages={"required": _("희망 날짜를 하나 이상 입력해 주세요.")},
            )
            self.fields[f"slot{i}_start"] = forms.TimeField(
                label=_("시작 시각"),
                required=required,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
            self.fields[f"slot{i}_end"] = forms.TimeField(
                label=_("종료 시각"),
                required=required,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
        custom = {"topics", "slot1_date"}
        for name, field in self.fields.items():
            if name not in custom:
                field.error_messages["required"] = _("이 항목을 입력해 주세요.")

    def clean(self):
        data = super().clean()
        slots = []
        now = timezone.now()
        for i in range(1, SLOT_COUNT + 1):
            day, start, end = (
                data.get(f"slot{i}_{p}") for p in ("date", "start", "end")
            )
            if not day:
                continue
            if not (start and end):
                self.add_error(f"slot{i}_start", _("시작과 종료 시각을 입력해 주세요."))
                continue
            begin = dt.datetime.combine(day, start, tzinfo=SEOUL)
            finish = dt.datetime.combine(day, end, tzinfo=SEOUL)
            if finish <= begin:
                self.add_error(
                    f"slot{i}_end", _("종료 시각은 시작 시각보다 늦어야 합니다.")
                )
            elif begin <= now:
                self.add_error(
                    f"slot{i}_date", _("희망 일시는 앞으로의 날짜여야 합니다.")
                )
            else:
                slots.append((begin, finish))
        if Accessibility.FOREIGN_LANGUAGE in data.get(
            "accessibility", []
        ) and not data.get("language"):
            self.add_error("language", _("외국어 청중의 언어를 입력해 주세요."))
        data["slots"] = slots
        return data


class AttendanceConfirmForm(forms.Form):
    attendees = forms.IntegerField(
        label=_("실제 참석 인원"), min_value=0, max_value=MAX_ATTENDEES
    )


class AttendanceReportForm(forms.Form):
    attendees = forms.IntegerField(
        label=_("참석 인원"), min_value=0, max_value=MAX_ATTENDEES
    )


class LectureReportForm(forms.Form):
    report = forms.CharField(
        label=_("강의 보고서"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REPORT_MAX_LENGTH,
    )
    material_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class WeeklyAvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("요일"),
        coerce=int,
        choices=[(i, n) for i, n in enumerate(WEEKDAYS)],
    )
    start_time = forms.TimeField(
        label=_("시작"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("종료"), widget=forms.TimeInput(attrs={"type": "time"})
    )


class ExceptionForm(forms.Form):
    date = forms.DateField(
        label=_("날짜"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_bounded_date],
    )
    note = forms.CharField(label=_("메모"), max_length=120, required=False)


class MaterialUploadForm(forms.Form):
    title = forms.CharField(label=_("자료명"), max_length=120)
    file = forms.FileField(label=_("파일(PDF, PPTX, DOCX, HWP, HWPX, PNG, JPG)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded, purpose="material")
        return uploaded


class SurveyForm(forms.Form):
    code = forms.CharField(
        label=_("설문 코드(QR 시트에 적힌 코드)"),
        max_length=20,
        error_messages={"required": _("설문 코드를 입력해 주세요.")},
    )
    score = forms.TypedChoiceField(
        label=_("이번 교육에 얼마나 만족하셨나요?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("의견(선택)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
    )


class PayoutExportForm(ExportReasonForm):
    """The month of the lecture-fee payout download and why it is downloaded."""

    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("월"), min_value=1, max_value=12)
    full_names = forms.BooleanField(
        label=_("강사 실명 포함(지급 처리용)"),
        required=False,
        help_text=_(
            "선택하지 않으면 강사 이름을 가립니다. 실명 내려받기는 사유와 함께 기록됩니다."
        ),
    )
    field_order = ["year", "month", "full_names", "reason"]


class QueueFilterForm(forms.Form):
    """The staff queue's filters; every field optional, the centers are the staff member's."""

    q = forms.CharField(
        label=_("검색"),
        required=False,
        max_length=100,
        help_text=_("기관명, 담당자 이름·이메일, 주소 또는 신청 번호"),
    )
    state = forms.ChoiceField(label=_("상태"), required=False)
    center = forms.ModelChoiceField(
        label=_("센터"), required=False, queryset=None, empty_label=_("전체")
    )
    district = forms.ModelChoiceField(
        label=_("자치구"),
        required=False,
        queryset=District.objects.order_by("name"),
        empty_label=_("전체"),
    )
    date_from = forms.DateField(
        label=_("신청일(부터)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("신청일(까지)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("진행 중 전체")),
            *RequestState.choices,
        ]
        self.fields["center"].queryset = centers

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("끝 날짜가 시작 날짜보다 앞섭니다."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("거절 사유"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("센터가 다음 강사를 찾을 때 참고합니다. 예: 같은 날 다른 일정"),
        error_messages={"required": _("거절 사유를 입력해 주세요.")},
    )
