"""Education figures for the city (교육 실적), each one an aggregate query over the records.

Outreach figures come from requests and delivered sessions (lms.outreach) with their
satisfaction answers (lms.surveys); online figures from enrollments, completions and
certificates (lms.learning). Quarters are Korean quarters: a session at 2026-03-31 23:30
in Seoul counts in the first quarter. The number of queries is fixed: quarters are
columns of one query each (conditional aggregation over the UTC bounds of each Seoul
quarter), breakdowns one grouped query each, never one query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    DurationField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.courses import Audience as CourseAudience
from cms.courses import Category, CoursePage
from core import access
from core.masking import mask_name
from core.problems import NotFound, Problem
from core.time import SEOUL
from lms.accounts.models import Organization, User
from lms.centers.models import Center
from lms.learning.models import Enrollment
from lms.outreach import states as outreach_states
from lms.outreach.models import Audience as OutreachAudience
from lms.outreach.models import OutreachRequest, OutreachSession
from lms.reports.figures import BY_KEY, quarterly_rows
from lms.surveys.models import SurveyResponse

YEAR_MIN, YEAR_MAX = 2000, 2100
QUARTER_LABELS = (
    gettext_lazy("1~3월"),
    gettext_lazy("4~6월"),
    gettext_lazy("7~9월"),
    gettext_lazy("10~12월"),
)
TOTAL_LABEL = gettext_lazy("계")
# A session counts as delivered once the trainer reported attendance (→ delivered),
# and stays counted through the lecture report and the close.
DELIVERED_STATES = tuple(outreach_states.DELIVERED)
TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


class ReportPeriodInvalid(Problem):
    type = "urn:slacademy:problem:report-period"
    title = gettext_lazy("보고 기간이 올바르지 않습니다.")


# --- Period and scope -----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar year in Seoul, or one quarter of it."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if not YEAR_MIN <= self.year <= YEAR_MAX:
            raise ReportPeriodInvalid(
                _("연도는 %(min)s년부터 %(max)s년 사이로 지정해 주세요.")
                % {"min": YEAR_MIN, "max": YEAR_MAX}
            )
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ReportPeriodInvalid(_("분기는 1부터 4 사이로 지정해 주세요."))

    def quarter_bounds(self, quarter: int) -> tuple[dt.datetime, dt.datetime]:
        """The quarter's start and end (exclusive) at Seoul midnight, as aware datetimes."""
        start = dt.datetime(self.year, 3 * quarter - 2, 1, tzinfo=SEOUL)
        end = (
            dt.datetime(self.year + 1, 1, 1, tzinfo=SEOUL)
            if quarter == 4
            else dt.datetime(self.year, 3 * quarter + 1, 1, tzinfo=SEOUL)
        )
        return start, end

    @property
    def year_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return self.quarter_bounds(1)[0], self.quarter_bounds(4)[1]

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return self.quarter_bounds(self.quarter) if self.quarter else self.year_bounds

    def columns(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """The quarterly table's columns: q1..q4, then the year ("total")."""
        return [(f"q{q}", *self.quarter_bounds(q)) for q in range(1, 5)] + [
            ("total", *self.year_bounds)
        ]

    @property
    def column_key(self) -> str:
        """The column of the quarterly table that holds this period's figures."""
        return f"q{self.quarter}" if self.quarter else "total"

    @property
    def label(self) -> str:
        if self.quarter is None:
            return _("%(year)s년") % {"year": self.year}
        return _("%(year)s년 %(q)s분기(%(months)s)") % {
            "year": self.year,
            "q": self.quarter,
            "months": QUARTER_LABELS[self.quarter - 1],
        }


def sees_all_centers(user: User) -> bool:
    return access.sees_every_center(user)


def report_center_for(*, user: User, center_id: int | None) -> Center | None:
    """The center a staff member may report on; None means every center.

    Superusers and staff of the metropolitan center see every center; staff of another
    center see their own only (no center asked → their own; another center → 404).
    """
    access.require_operator(user)
    if center_id is None:
        return None if sees_all_centers(user) else user.center
    center = Center.objects.filter(pk=center_id).first()
    if center is None or not (sees_all_centers(user) or center.pk == user.center_id):
        raise NotFound(_("보고서를 볼 수 있는 센터가 아닙니다."))
    return center


def report_centers_for(*, user: User) -> QuerySet[Center]:
    """The centers a staff member may choose in the dashboard's filter."""
    if sees_all_centers(user):
        return Center.objects.order_by("kind", "name")
    return Center.objects.filter(pk=user.center_id)


# --- Base record sets -----------------------------------------------------------------


def _within(field: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _requests(center: Center | None) -> QuerySet[OutreachRequest]:
    qs = OutreachRequest.objects.all()
    return qs.filter(center=center) if center is not None else qs


def _sessions(center: Center | None) -> QuerySet[OutreachSession]:
    qs = OutreachSession.objects.filter(request__state__in=DELIVERED_STATES)
    return qs.filter(request__center=center) if center is not None else qs


def _with_scores(sessions: QuerySet[OutreachSession]) -> QuerySet[OutreachSession]:
    """Each session with its attendees (confirmed, else reported) and the sum and count
    of its satisfaction answers; the survey subject id is text, so the session's key is
    cast to text to match it."""
    answers = (
        SurveyResponse.objects.filter(
            subject_type=ContentType.objects.get_for_model(OutreachSession),
            subject_id=Cast(OuterRef("pk"), CharField()),
        )
        .order_by()
        .values("subject_id")
    )
    return sessions.annotate(
        attendees=Coalesce("attendees_confirmed", "attendees_reported", 0),
        score_sum=Coalesce(
            Subquery(answers.annotate(s=Sum("score")).values("s")[:1]), 0
        ),
        score_n=Coalesce(Subquery(answers.annotate(n=Count("pk")).values("n")[:1]), 0),
    )


def _online_scope(center: Center | None, user_path: str) -> Q:
    """Online courses are run by the academy (the metropolitan center) for the whole city:
    a regional or district center's report counts the learners whose organization
    (lms.organizations) lies in its region or district."""
    return access.center_serves_district(
        center, f"{user_path}__employment__organization__district"
    )


def _enrollments(center: Center | None) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(_online_scope(center, "user"))


def _course_answers(center: Center | None) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(
        _online_scope(center, "respondent"),
        subject_type=ContentType.objects.get_for_model(CoursePage),
    )


DURATION = F("ends_at") - F("starts_at")


# --- Arithmetic -----------------------------------------------------------------------


def _average(total, count) -> float | None:
    """A 5-point average with two decimals, rounded half up from the exact sum."""
    if not count:
        return None
    value = Decimal(int(total or 0)) / Decimal(int(count))
    return float(value.quantize(TWO_PLACES, ROUND_HALF_UP))


def _percent(part, whole) -> float | None:
    if not whole:
        return None
    value = Decimal(int(part or 0)) * 100 / Decimal(int(whole))
    return float(value.quantize(ONE_PLACE, ROUND_HALF_UP))


def _ratio(part, whole) -> float | None:
    if not whole:
        return None
    value = Decimal(str(part or 0)) / Decimal(int(whole))
    return float(value.quantize(TWO_PLACES, ROUND_HALF_UP))


def _hours(duration: dt.timedelta | None) -> float:
    seconds = Decimal(str((duration or dt.timedelta()).total_seconds()))
    return float((seconds / 3600).quantize(TWO_PLACES, ROUND_HALF_UP))


# --- Figures per column (quarters and the year) ---------------------------------------


def _outreach_columns(period: Period, center: Center | None) -> dict[str, dict]:
    year_start, year_end = period.year_bounds
    requests = _requests(center).filter(_within("created_at", year_start, year_end))
    request_counts = requests.aggregate(
        **{
            key: Count("pk", filter=_within("created_at", start, end))
            for key, start, end in period.columns()
        }
    )
    sessions = _with_scores(
        _sessions(center).filter(_within("starts_at", year_start, year_end))
    )
    aggregates = {}
    for key, start, end in period.columns():
        inside = _within("starts_at", start, end)
        aggregates |= {
            f"{key}_sessions": Count("pk", filter=inside),
            f"{key}_organizations": Count(
                "request__organization_name", distinct=True, filter=inside
            ),
            f"{key}_attendees": Sum("attendees", filter=inside),
            f"{key}_score_sum": Sum("score_sum", filter=inside),
            f"{key}_score_n": Sum("score_n", filter=inside),
            f"{key}_trainers": Count("trainer", distinct=True, filter=inside),
            f"{key}_duration": Sum(
                DURATION, filter=inside, output_field=DurationField()
            ),
        }
    row = sessions.aggregate(**aggregates)
    columns = {}
    for key, _start, _end in period.columns():
        sessions_n = row[f"{key}_sessions"]
        trainers = row[f"{key}_trainers"]
        hours = _hours(row[f"{key}_duration"])
        columns[key] = {
            "requests_received": request_counts[key],
            "sessions_delivered": sessions_n,
            "organizations_served": row[f"{key}_organizations"],
            "attendees": int(row[f"{key}_attendees"] or 0),
            "satisfaction": _average(row[f"{key}_score_sum"], row[f"{key}_score_n"]),
            "survey_responses": int(row[f"{key}_score_n"] or 0),
            "trainers": trainers,
            "training_hours": hours,
            "sessions_per_trainer": _ratio(sessions_n, trainers),
            "hours_per_trainer": _ratio(hours, trainers),
        }
    return columns


def _enrollment_aggregates(start: dt.datetime, end: dt.datetime, prefix: str = ""):
    enrolled = _within("enrolled_at", start, end)
    completed = _within("completed_at", start, end)
    issued = _within("certificate__issued_at", start, end) & Q(
        certificate__revoked_at__isnull=True
    )
    return {
        f"{prefix}enrollments": Count("pk", filter=enrolled),
        # Everyone who used the service in the period: enrolled in it or completed in
        # it, so the completers are always among the learners the report counts.
        f"{prefix}learners": Count("user", distinct=True, filter=enrolled | completed),
        f"{prefix}cohort_completed": Count(
            "pk", filter=enrolled & Q(completed_at__isnull=False)
        ),
        f"{prefix}completions": Count("pk", filter=completed),
        f"{prefix}completers": Count("user", distinct=True, filter=completed),
        f"{prefix}certificates": Count("certificate", filter=issued),
    }


def _touching(start: dt.datetime, end: dt.datetime) -> Q:
    """Enrollments with anything to count in the period."""
    return (
        _within("enrolled_at", start, end)
        | _within("completed_at", start, end)
        | _within("certificate__issued_at", start, end)
    )


def _online_figures(row: dict, answers_sum, answers_n, prefix: str = "") -> dict:
    enrollments = row[f"{prefix}enrollments"]
    return {
        "learners": row[f"{prefix}learners"],
        "enrollments": enrollments,
        "completers": row[f"{prefix}completers"],
        "completions": row[f"{prefix}completions"],
        # Of the enrollments made in the period, the share completed so far.
        "completion_rate": _percent(row[f"{prefix}cohort_completed"], enrollments),
        "satisfaction": _average(answers_sum, answers_n),
        "survey_responses": int(answers_n or 0),
        "certificates_issued": row[f"{prefix}certificates"],
    }


def _online_columns(period: Period, center: Center | None) -> dict[str, dict]:
    year_start, year_end = period.year_bounds
    aggregates = {}
    answer_aggregates = {}
    for key, start, end in period.columns():
        aggregates |= _enrollment_aggregates(start, end, prefix=f"{key}_")
        inside = _within("created_at", start, end)
        answer_aggregates |= {
            f"{key}_sum": Sum("score", filter=inside),
            f"{key}_n": Count("pk", filter=inside),
        }
    row = (
        _enrollments(center)
        .filter(_touching(year_start, year_end))
        .aggregate(**aggregates)
    )
    answers = (
        _course_answers(center)
        .filter(_within("created_at", year_start, year_end))
        .aggregate(**answer_aggregates)
    )
    return {
        key: _online_figures(
            row, answers[f"{key}_sum"], answers[f"{key}_n"], prefix=f"{key}_"
        )
        for key, _start, _end in period.columns()
    }


# --- Breakdowns (the selected period) -------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    path: str  # from the base record (request, enrollment)
    order_path: str = ""  # sorts rows when the label does not
    choices: dict | None = None  # value → label
    empty_label: str = ""  # the label of rows with no value


def _choice_labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def outreach_dimensions() -> list[Dimension]:
    return [
        Dimension(
            "region",
            _("권역별"),
            "district__region__name",
            "district__region__sort_order",
        ),
        Dimension("district", _("자치구별"), "district__name"),
        Dimension("topic", _("주제별"), "topics__name"),
        Dimension(
            "audience",
            _("대상별"),
            "audience",
            choices=_choice_labels(OutreachAudience.choices),
        ),
        Dimension(
            "organization_kind",
            _("기관 유형별"),
            "organization_kind",
            choices=_choice_labels(Organization.Kind.choices),
        ),
    ]


def online_dimensions() -> list[Dimension]:
    return [
        Dimension(
            "category",
            _("분야별"),
            "course__category",
            choices=_choice_labels(Category.choices),
        ),
        Dimension(
            "audience",
            _("대상별"),
            "course__audience",
            choices=_choice_labels(CourseAudience.choices),
        ),
        Dimension(
            "region",
            _("권역별(소속 기관)"),
            "user__employment__organization__district__region__name",
            "user__employment__organization__district__region__sort_order",
            empty_label=_("소속 기관 없음"),
        ),
        Dimension(
            "organization_kind",
            _("기관 유형별(소속 기관)"),
            "user__employment__organization__kind",
            choices=_choice_labels(Organization.Kind.choices),
            empty_label=_("소속 기관 없음"),
        ),
    ]


def _label(dimension: Dimension, value) -> str:
    if value is None or value == "":
        return dimension.empty_label or _("미지정")
    if dimension.choices:
        return dimension.choices.get(value, str(value))
    return str(value)


def _grouped(qs: QuerySet, dimension: Dimension, path: str, order_path: str, **aggs):
    fields = {"group": F(path)}
    if order_path:
        fields["group_order"] = F(order_path)
    return qs.values(**fields).annotate(**aggs).order_by()


def _sorted_rows(rows: dict, dimension: Dimension) -> list[dict]:
    def sort_key(item):
        value, row = item
        order = row.pop("_order", None)
        return (
            value is None or value == "",
            order if order is not None else 0,
            row["label"],
        )

    return [row for _value, row in sorted(rows.items(), key=sort_key)]


def _outreach_breakdown(
    dimension: Dimension, period: Period, center: Center | None
) -> list[dict]:
    start, end = period.bounds
    rows: dict = {}

    def row_for(item) -> dict:
        value = item["group"]
        if value not in rows:
            rows[value] = {
                "key": "" if value is None else str(value),
                "label": _label(dimension, value),
                "requests_received": 0,
                "sessions_delivered": 0,
                "organizations_served": 0,
                "attendees": 0,
                "satisfaction": None,
                "survey_responses": 0,
                "_order": item.get("group_order"),
            }
        return rows[value]

    requests = _requests(center).filter(_within("created_at", start, end))
    for item in _grouped(
        requests,
        dimension,
        dimension.path,
        dimension.order_path,
        n=Count("pk", distinct=True),
    ):
        row_for(item)["requests_received"] = item["n"]
    sessions = _with_scores(_sessions(center).filter(_within("starts_at", start, end)))
    for item in _grouped(
        sessions,
        dimension,
        f"request__{dimension.path}",
        f"request__{dimension.order_path}" if dimension.order_path else "",
        n=Count("pk", distinct=True),
        organizations=Count("request__organization_name", distinct=True),
        attendees=Sum("attendees"),
        score_sum=Sum("score_sum"),
        score_n=Sum("score_n"),
    ):
        row = row_for(item)
        row["sessions_delivered"] = item["n"]
        row["organizations_served"] = item["organizations"]
        row["attendees"] = int(item["attendees"] or 0)
        row["satisfaction"] = _average(item["score_sum"], item["score_n"])
        row["survey_responses"] = int(item["score_n"] or 0)
    return _sorted_rows(rows, dimension)


def _course_answers_grouped(
    dimension: Dimension, answers: QuerySet[SurveyResponse]
) -> list[dict]:
    """The period's course answers summed per value of the dimension.

    For a course field the answers are summed per course in the database (the subject
    id is text, so a join per answer would cost a subquery each) and the few course
    rows are folded by the field here; for an organization field the respondent's
    organization is joined in the grouping itself.
    """
    if not dimension.path.startswith("course__"):
        path = dimension.path.replace("user__", "respondent__", 1)
        order = dimension.order_path.replace("user__", "respondent__", 1)
        fields = {"group": F(path)}
        if order:
            fields["group_order"] = F(order)
        return list(
            answers.values(**fields)
            .annotate(score_sum=Sum("score"), score_n=Count("pk"))
            .order_by()
        )
    per_course = list(
        answers.values("subject_id")
        .annotate(score_sum=Sum("score"), score_n=Count("pk"))
        .order_by()
    )
    ids = [int(row["subject_id"]) for row in per_course if row["subject_id"].isdigit()]
    field = dimension.path.removeprefix("course__")
    value_of = dict(CoursePage.objects.filter(pk__in=ids).values_list("pk", field))
    grouped: dict = {}
    for row in per_course:
        key = int(row["subject_id"]) if row["subject_id"].isdigit() else None
        value = value_of.get(key)
        total = grouped.setdefault(
            value, {"group": value, "score_sum": 0, "score_n": 0}
        )
        total["score_sum"] += row["score_sum"] or 0
        total["score_n"] += row["score_n"]
    return list(grouped.values())


def _online_breakdown(
    dimension: Dimension, period: Period, center: Center | None
) -> list[dict]:
    start, end = period.bounds
    rows: dict = {}

    def row_for(value, order) -> dict:
        if value not in rows:
            rows[value] = {
                "key": "" if value is None else str(value),
                "label": _label(dimension, value),
                **_online_figures(
                    {
                        "enrollments": 0,
                        "learners": 0,
                        "completers": 0,
                        "completions": 0,
                        "cohort_completed": 0,
                        "certificates": 0,
                    },
                    0,
                    0,
                ),
                "_order": order,
            }
        return rows[value]

    enrollments = _enrollments(center).filter(_touching(start, end))
    for item in _grouped(
        enrollments,
        dimension,
        dimension.path,
        dimension.order_path,
        **_enrollment_aggregates(start, end),
    ):
        row = row_for(item["group"], item.get("group_order"))
        row.update(_online_figures(item, 0, 0))
    answers = _course_answers(center).filter(_within("created_at", start, end))
    for item in _course_answers_grouped(dimension, answers):
        row = row_for(item["group"], item.get("group_order"))
        row["satisfaction"] = _average(item["score_sum"], item["score_n"])
        row["survey_responses"] = item["score_n"]
    return [
        row
        for row in _sorted_rows(rows, dimension)
        if row["enrollments"]
        or row["completions"]
        or row["survey_responses"]
        or row["certificates_issued"]
    ]


def _trainer_load(period: Period, center: Center | None) -> list[dict]:
    """Sessions and hours per trainer in the period; names masked as in every export."""
    start, end = period.bounds
    rows = (
        _sessions(center)
        .filter(_within("starts_at", start, end))
        .values("trainer_id", "trainer__user__name", "trainer__user__username")
        .annotate(
            sessions=Count("pk"),
            duration=Sum(DURATION, output_field=DurationField()),
        )
        .order_by("-sessions", "trainer_id")
    )
    return [
        {
            "trainer_id": row["trainer_id"],
            "trainer": mask_name(
                row["trainer__user__name"] or row["trainer__user__username"]
            ),
            "sessions": row["sessions"],
            "hours": _hours(row["duration"]),
        }
        for row in rows
    ]


# --- The report -----------------------------------------------------------------------


def _number(value) -> str:
    return f"{value:,}"


def _score(value: float | None) -> str:
    # 4.30 reads "4.3점", 4.13 reads "4.13점", as in the center's own reports.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def headlines(outreach: dict, online: dict) -> list[str]:
    if outreach["satisfaction"] is None:
        satisfaction = _("만족도 응답 없음")
    else:
        satisfaction = _("만족도 %(score)s점") % {
            "score": _score(outreach["satisfaction"])
        }
    return [
        _(
            "찾아가는 교육 %(organizations)s개 기관, %(sessions)s회, 총 %(attendees)s명 수강, %(satisfaction)s"
        )
        % {
            "organizations": _number(outreach["organizations_served"]),
            "sessions": _number(outreach["sessions_delivered"]),
            "attendees": _number(outreach["attendees"]),
            "satisfaction": satisfaction,
        },
        _("온라인 교육 총 %(learners)s명 이용(수료자 %(completers)s명)")
        % {
            "learners": _number(online["learners"]),
            "completers": _number(online["completers"]),
        },
    ]


# The figures of the year on the home page, in this order; computed as the report does.
HOME_FIGURES = (
    ("outreach", "sessions_delivered"),
    ("outreach", "organizations_served"),
    ("outreach", "attendees"),
    ("online", "completions"),
)
HOME_FIGURES_SECONDS = 600  # a home page served from cache may lag the report this long


def year_figures(*, year: int) -> list[dict]:
    """The Academy's figures of `year` across all centers, as the report counts them.

    Each is {"label", "value", "unit"}, the value written with thousands separators.
    Cached for HOME_FIGURES_SECONDS: the home page must not run the report per visit.
    """

    def compute() -> list[dict]:
        period = Period(year)
        totals = {
            "outreach": _outreach_columns(period, None)["total"],
            "online": _online_columns(period, None)["total"],
        }
        return [
            {
                "label": str(BY_KEY[section, key].label),
                "value": _number(totals[section][key]),
                "unit": str(BY_KEY[section, key].unit),
            }
            for section, key in HOME_FIGURES
        ]

    return cache.get_or_set(
        f"reports:year-figures:{year}", compute, HOME_FIGURES_SECONDS
    )


def education_report(*, period: Period, center: Center | None) -> dict:
    """Every figure of the education report for `period`, for one center or all (None)."""
    outreach_columns = _outreach_columns(period, center)
    online_columns = _online_columns(period, center)
    columns = period.columns()
    quarterly = {
        "columns": [str(label) for label in QUARTER_LABELS] + [str(TOTAL_LABEL)],
        "rows": [
            {
                "section": section,
                "key": key,
                "label": label,
                "unit": unit,
                "values": [
                    (outreach_columns if section == "outreach" else online_columns)[
                        column
                    ][key]
                    for column, _start, _end in columns
                ],
            }
            for section, key, label, unit in quarterly_rows()
        ],
    }
    outreach = outreach_columns[period.column_key]
    online = online_columns[period.column_key]
    return {
        "year": period.year,
        "quarter": period.quarter,
        "period": period.label,
        "center": None if center is None else {"id": center.pk, "name": center.name},
        "headlines": headlines(outreach, online),
        "outreach": outreach,
        "online": online,
        "quarterly": quarterly,
        "breakdowns": {
            "outreach": [
                {
                    "dimension": d.key,
                    "label": d.label,
                    "rows": _outreach_breakdown(d, period, center),
                }
                for d in outreach_dimensions()
            ],
            "online": [
                {
                    "dimension": d.key,
                    "label": d.label,
                    "rows": _online_breakdown(d, period, center),
                }
                for d in online_dimensions()
            ],
        },
        "trainer_load": _trainer_load(period, center),
    }
