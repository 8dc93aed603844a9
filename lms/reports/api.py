"""`/api/v1/reports/` operations: the education report as JSON and as XLSX (staff only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from core.auth import api_auth
from core.problems import ProblemOut
from core.types import DbId, Quarter, Year
from lms.reports import selectors
from lms.reports.exports import report_xlsx_response

router = Router(tags=["reports"])


class CenterOut(Schema):
    id: int
    name: str


class OutreachFiguresOut(Schema):
    requests_received: int
    sessions_delivered: int
    organizations_served: int
    attendees: int
    satisfaction: float | None
    survey_responses: int
    trainers: int
    training_hours: float
    sessions_per_trainer: float | None
    hours_per_trainer: float | None


class OnlineFiguresOut(Schema):
    learners: int
    enrollments: int
    completers: int
    completions: int
    completion_rate: float | None
    satisfaction: float | None
    survey_responses: int
    certificates_issued: int


class QuarterlyRowOut(Schema):
    section: str
    key: str
    label: str
    unit: str
    values: list[int | float | None]


class QuarterlyOut(Schema):
    columns: list[str]
    rows: list[QuarterlyRowOut]


class OutreachBreakdownRowOut(Schema):
    key: str
    label: str
    requests_received: int
    sessions_delivered: int
    organizations_served: int
    attendees: int
    satisfaction: float | None
    survey_responses: int


class OnlineBreakdownRowOut(Schema):
    key: str
    label: str
    learners: int
    enrollments: int
    completers: int
    completions: int
    completion_rate: float | None
    satisfaction: float | None
    survey_responses: int
    certificates_issued: int


class OutreachBreakdownOut(Schema):
    dimension: str
    label: str
    rows: list[OutreachBreakdownRowOut]


class OnlineBreakdownOut(Schema):
    dimension: str
    label: str
    rows: list[OnlineBreakdownRowOut]


class BreakdownsOut(Schema):
    outreach: list[OutreachBreakdownOut]
    online: list[OnlineBreakdownOut]


class TrainerLoadOut(Schema):
    trainer_id: int
    trainer: str
    sessions: int
    hours: float


class EducationReportOut(Schema):
    year: int
    quarter: int | None
    period: str
    center: CenterOut | None
    headlines: list[str]
    outreach: OutreachFiguresOut
    online: OnlineFiguresOut
    quarterly: QuarterlyOut
    breakdowns: BreakdownsOut
    trainer_load: list[TrainerLoadOut]


ERRORS = {
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    422: ProblemOut,
}


def _report(
    request: HttpRequest, year: Year, quarter: Quarter | None, center: DbId | None
):
    scope = selectors.report_center_for(user=request.user, center_id=center)
    period = selectors.Period(year=year, quarter=quarter)
    return selectors.education_report(period=period, center=scope)


@router.get(
    "/education",
    response={200: EducationReportOut, **ERRORS},
    auth=api_auth,
    summary=(
        "Education figures of a year or quarter (Seoul time), for all centers or one "
        "(staff; a regional center's staff see their own center only)"
    ),
)
def education_report(
    request: HttpRequest,
    year: Year,
    quarter: Quarter | None = None,
    center: DbId | None = None,
):
    return _report(request, year, quarter, center)


@router.get(
    "/education.xlsx",
    response={200: None, **ERRORS},
    auth=api_auth,
    summary="The same education report as an XLSX workbook with Korean sheets",
)
def education_report_xlsx(
    request: HttpRequest,
    year: Year,
    quarter: Quarter | None = None,
    center: DbId | None = None,
):
    return report_xlsx_response(_report(request, year, quarter, center))
