"""Reading the portal: an organization's employees and their progress in an assignment.

Query counts stay flat as employees grow: one query each for employees, enrollments
(with lesson and test figures annotated) and the course's required lessons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from cms.courses import LessonPage
from core.masking import mask_email, mask_phone
from lms.accounts.models import Organization, User
from lms.learning.models import Enrollment
from lms.organizations.models import Employee, Invitation, TrainingAssignment

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OVERDUE = "overdue"
FILTERS = (NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE)


def employees_of(*, organization: Organization) -> QuerySet[Employee]:
    return Employee.objects.filter(organization=organization).select_related("user")


def assignments_of(*, organization: Organization) -> QuerySet[TrainingAssignment]:
    return TrainingAssignment.objects.filter(organization=organization).select_related(
        "course"
    )


def assignment_of(*, organization: Organization, pk: int) -> TrainingAssignment | None:
    """An assignment of this organization only: another's is as good as missing."""
    return assignments_of(organization=organization).filter(pk=pk).first()


def open_invitation_link(*, organization: Organization) -> Invitation | None:
    return Invitation.objects.filter(
        organization=organization, email="", revoked_at__isnull=True
    ).first()


def pending_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).exclude(email="")


@dataclass
class EmployeeProgress:
    """One employee's line in an assignment. Email and phone are masked: the contact
    needs the name to know who it is, not the contact details (the invitation had them)."""

    user_id: int
    name: str
    email_masked: str
    phone_masked: str
    enrolled: bool
    progress: float  # 0..100 over required lessons
    test_score: int | None
    completed_at: dt.datetime | None
    certificate_number: str
    certificate_id: int | None
    status: str
    overdue: bool


def required_lesson_count(*, course) -> int:
    return LessonPage.objects.child_of(course).live().filter(required=True).count()


def assignment_progress(
    *,
    assignment: TrainingAssignment,
    only: str = "",
    today: dt.date | None = None,
) -> list[EmployeeProgress]:
    today = today or timezone.localdate()
    employees = list(employees_of(organization=assignment.organization))
    users = [e.user for e in employees]
    total = required_lesson_count(course=assignment.course)
    enrollments = {
        e.user_id: e
        for e in Enrollment.objects.filter(
            course_id=assignment.course_id, user__in=[u.pk for u in users]
        )
        .select_related("certificate")
        .annotate(
            lessons_done=Count(
                "lesson_progress",
                filter=Q(lesson_progress__completed_at__isnull=False),
                distinct=True,
            ),
            lessons_touched=Count("lesson_progress", distinct=True),
            best_score=Max("test_attempts__score"),
        )
    }
    rows = []
    for user in users:
        enrollment = enrollments.get(user.pk)
        certificate = getattr(enrollment, "certificate", None) if enrollment else None
        completed_at = enrollment.completed_at if enrollment else None
        if completed_at is not None:
            progress, status = 100.0, COMPLETED
        elif enrollment is None or (
            enrollment.lessons_touched == 0 and enrollment.best_score is None
        ):
            progress, status = 0.0, NOT_STARTED
        else:
            done = min(enrollment.lessons_done, total)
            progress = round(100 * done / total, 1) if total else 0.0
            status = IN_PROGRESS
        overdue = completed_at is None and today > assignment.deadline
        rows.append(
            EmployeeProgress(
                user_id=user.pk,
                name=user.get_full_name() or user.get_username(),
                email_masked=mask_email(user.email),
                phone_masked=mask_phone(user.phone) if user.phone else "",
                enrolled=enrollment is not None,
                progress=progress,
                test_score=enrollment.best_score if enrollment else None,
                completed_at=completed_at,
                certificate_number=(
                    certificate.number if certificate and certificate.is_valid else ""
                ),
                certificate_id=(
                    certificate.pk if certificate and certificate.is_valid else None
                ),
                status=status,
                overdue=overdue,
            )
        )
    if only == OVERDUE:
        rows = [r for r in rows if r.overdue]
    elif only in (NOT_STARTED, IN_PROGRESS, COMPLETED):
        rows = [r for r in rows if r.status == only]
    return rows


def incomplete_users(*, assignment: TrainingAssignment) -> list[User]:
    """Employees who have not completed the assigned course (reminder recipients)."""
    done = Enrollment.objects.filter(
        course_id=assignment.course_id, completed_at__isnull=False
    ).values("user_id")
    return [
        e.user
        for e in employees_of(organization=assignment.organization).exclude(
            user_id__in=done
        )
    ]
