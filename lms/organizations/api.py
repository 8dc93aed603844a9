"""`/api/v1/org/` operations of the organization portal: employees, assignments, progress,
reminders and the evidence pack. Only an organization's contact; its own people only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from cms.courses import CoursePage
from core import access
from core.auth import api_auth
from core.masking import mask_email
from core.problems import NotFound, PermissionDenied, ProblemOut
from core.types import BodyId, BodyYear, BoundedDate, DbId
from lms.accounts.models import Organization
from lms.organizations import exports, selectors, services
from lms.organizations.models import TrainingAssignment
from lms.privacy.services import personal_data_list_viewed

router = Router(tags=["organizations"])


class EmployeeOut(Schema):
    user_id: int
    name: str
    email: str = Field(description="masked")
    joined_at: dt.datetime


class AssignmentIn(Schema):
    course_id: BodyId
    deadline: BoundedDate
    year: BodyYear | None = None


class AssignmentOut(Schema):
    id: int
    course_id: int
    course_title: str
    year: int
    deadline: dt.date

    @staticmethod
    def of(a: TrainingAssignment) -> AssignmentOut:
        return AssignmentOut(
            id=a.pk,
            course_id=a.course_id,
            course_title=a.course.title,
            year=a.year,
            deadline=a.deadline,
        )


class ProgressOut(Schema):
    user_id: int
    name: str
    email: str = Field(description="masked")
    progress: float
    test_score: int | None
    status: str = Field(description="not_started | in_progress | completed")
    overdue: bool
    completed_at: dt.datetime | None
    certificate_number: str


class ReminderOut(Schema):
    sent: int
    skipped: int


class EvidenceIn(Schema):
    reason: str = Field(max_length=300, description="why the personal data is exported")


def _organization(request: HttpRequest) -> Organization:
    user = request.user
    if not access.is_org_contact(user):
        raise PermissionDenied()
    return user.organization


def _assignment(request: HttpRequest, assignment_id: DbId) -> TrainingAssignment:
    assignment = selectors.assignment_of(
        organization=_organization(request), pk=assignment_id
    )
    if assignment is None:
        raise NotFound()
    return assignment


@router.get(
    "/employees",
    response={200: list[EmployeeOut], 401: ProblemOut, 403: ProblemOut},
    auth=api_auth,
    summary="The organization's employees (emails masked)",
)
def employee_list(request: HttpRequest):

    employees = list(selectors.employees_of(organization=_organization(request)))
    personal_data_list_viewed(
        actor=request.user,
        what="organization employees (API)",
        count=len(employees),
        request=request,
    )
    return [
        EmployeeOut(
            user_id=e.user_id,
            name=e.user.get_full_name() or e.user.get_username(),
            email=mask_email(e.user.email),
            joined_at=e.joined_at,
        )
        for e in employees
    ]


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], 401: ProblemOut, 403: ProblemOut},
    auth=api_auth,
    summary="Statutory training assigned by the organization",
)
def assignment_list(request: HttpRequest):
    return [
        AssignmentOut.of(a)
        for a in selectors.assignments_of(organization=_organization(request))
    ]


@router.post(
    "/assignments",
    response={
        201: AssignmentOut,
        400: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
    },
    auth=api_auth,
    summary="Assign a statutory course with a deadline; employees are enrolled",
)
def assignment_create(request: HttpRequest, payload: AssignmentIn):
    organization = _organization(request)
    course = CoursePage.objects.live().filter(pk=payload.course_id).first()
    if course is None:
        raise NotFound()
    assignment = services.assignment_create(
        organization=organization,
        course=course,
        deadline=payload.deadline,
        year=payload.year,
        by=request.user,
    )
    return Status(201, AssignmentOut.of(assignment))


@router.get(
    "/assignments/{assignment_id}/progress",
    response={200: list[ProgressOut], 403: ProblemOut, 404: ProblemOut},
    auth=api_auth,
    summary="Each employee's progress and completion (filter: not_started, "
    "in_progress, completed, overdue)",
)
def assignment_progress(
    request: HttpRequest,
    assignment_id: DbId,
    filter: Annotated[str, Field(max_length=20)] = "",
):
    assignment = _assignment(request, assignment_id)
    rows = selectors.assignment_progress(
        assignment=assignment, only=filter if filter in selectors.FILTERS else ""
    )
    personal_data_list_viewed(
        actor=request.user,
        what=f"employee progress of assignment {assignment.pk} (API)",
        count=len(rows),
        request=request,
    )
    return [
        ProgressOut(
            user_id=r.user_id,
            name=r.name,
            email=r.email_masked,
            progress=r.progress,
            test_score=r.test_score,
            status=r.status,
            overdue=r.overdue,
            completed_at=r.completed_at,
            certificate_number=r.certificate_number,
        )
        for r in rows
    ]


@router.post(
    "/assignments/{assignment_id}/reminders",
    response={200: ReminderOut, 403: ProblemOut, 404: ProblemOut},
    auth=api_auth,
    summary="Email the employees who have not completed (once a day each)",
)
def assignment_remind(request: HttpRequest, assignment_id: DbId):
    result = services.reminders_send(
        assignment=_assignment(request, assignment_id), by=request.user
    )
    return ReminderOut(sent=result.sent, skipped=result.skipped)


@router.post(
    "/assignments/{assignment_id}/evidence",
    response={200: None, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    auth=api_auth,
    summary="The evidence pack: ZIP of the XLSX list and the certificates as PDFs "
    "(a stated reason is required; the export is logged)",
)
def assignment_evidence(request: HttpRequest, assignment_id: DbId, payload: EvidenceIn):
    assignment = _assignment(request, assignment_id)
    return exports.evidence_pack_response(
        assignment=assignment, user=request.user, reason=payload.reason, request=request
    )
