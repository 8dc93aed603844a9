"""The figures of the education report: the one home of their keys, labels and units.

Selectors compute them under these keys; the dashboard, its charts, the JSON and the
XLSX name them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    section: str  # "outreach" or "online"
    key: str
    label: str  # in the quarterly table
    short: str  # as a column of a breakdown
    unit: str

    @property
    def heading(self) -> str:
        return f"{self.short}({self.unit})" if self.unit else str(self.short)


FIGURES: tuple[Figure, ...] = (
    Figure(
        "outreach", "requests_received", _("찾아가는 교육 신청"), _("신청"), _("건")
    ),
    Figure(
        "outreach", "sessions_delivered", _("찾아가는 교육 실시"), _("실시"), _("회")
    ),
    Figure("outreach", "organizations_served", _("교육 기관"), _("교육 기관"), _("곳")),
    Figure("outreach", "attendees", _("수강 인원"), _("수강 인원"), _("명")),
    Figure("outreach", "satisfaction", _("찾아가는 교육 만족도"), _("만족도"), _("점")),
    Figure(
        "outreach", "survey_responses", _("만족도 응답 수"), _("만족도 응답 수"), ""
    ),
    Figure("outreach", "trainers", _("출강 강사"), _("출강 강사"), _("명")),
    Figure("outreach", "training_hours", _("강의 시간"), _("강의 시간"), _("시간")),
    Figure("online", "learners", _("온라인 이용자"), _("이용자"), _("명")),
    Figure("online", "enrollments", _("온라인 수강 신청"), _("수강 신청"), _("건")),
    Figure("online", "completers", _("온라인 수료자"), _("수료자"), _("명")),
    Figure("online", "completions", _("온라인 수료"), _("수료"), _("건")),
    Figure("online", "completion_rate", _("온라인 수료율"), _("수료율"), "%"),
    Figure("online", "satisfaction", _("온라인 교육 만족도"), _("만족도"), _("점")),
    Figure("online", "survey_responses", _("만족도 응답 수"), _("만족도 응답 수"), ""),
    Figure(
        "online", "certificates_issued", _("수료증 발급"), _("수료증 발급"), _("건")
    ),
)
BY_KEY = {(f.section, f.key): f for f in FIGURES}

# Which figures each table shows, in order.
BREAKDOWN_KEYS = {
    "outreach": (
        "requests_received",
        "sessions_delivered",
        "organizations_served",
        "attendees",
        "satisfaction",
        "survey_responses",
    ),
    "online": (
        "learners",
        "enrollments",
        "completers",
        "completions",
        "completion_rate",
        "satisfaction",
        "survey_responses",
        "certificates_issued",
    ),
}
QUARTERLY_KEYS = (
    ("outreach", "requests_received"),
    ("outreach", "sessions_delivered"),
    ("outreach", "organizations_served"),
    ("outreach", "attendees"),
    ("outreach", "satisfaction"),
    ("outreach", "trainers"),
    ("outreach", "training_hours"),
    ("online", "learners"),
    ("online", "enrollments"),
    ("online", "completers"),
    ("online", "completion_rate"),
    ("online", "satisfaction"),
    ("online", "certificates_issued"),
)
CHART_KEYS = {
    "sessions": ("outreach", "sessions_delivered"),
    "attendees": ("outreach", "attendees"),
    "learners": ("online", "learners"),
    "completers": ("online", "completers"),
}


def breakdown_columns(section: str) -> list[tuple[str, str]]:
    """(key, heading) of a breakdown table's figures: ("attendees", "수강 인원(명)")."""
    return [(key, BY_KEY[(section, key)].heading) for key in BREAKDOWN_KEYS[section]]


def quarterly_rows() -> list[tuple[str, str, str, str]]:
    """(section, figure key, label, unit) of the quarterly table, in order."""
    return [
        (
            section,
            key,
            str(BY_KEY[(section, key)].label),
            str(BY_KEY[(section, key)].unit),
        )
        for section, key in QUARTERLY_KEYS
    ]
