"""Demo data of the organization portal: the `org` contact's workplace with employees at
various stages of this year's sexual-harassment prevention training. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cms.courses import Category, CoursePage, LessonPage
from lms.accounts.models import User
from lms.accounts.services import user_create
from lms.learning.models import Enrollment, LessonProgress
from lms.learning.services import certificate_issue, enrollment_create
from lms.organizations.models import Employee, Invitation, TrainingAssignment

STATUTORY_COURSE_TITLE = "직장 내 성희롱 예방"
# (username, name, state): completed, in progress (half watched), not started.
DEMO_EMPLOYEES = [
    ("org-employee-1", "김하늘", "completed"),
    ("org-employee-2", "이바다", "completed"),
    ("org-employee-3", "박들꽃", "in_progress"),
    ("org-employee-4", "최산들", "not_started"),
    ("org-employee-5", "정소나", "not_started"),
]


@transaction.atomic
def seed_organization_demo() -> bool:
    """Returns whether anything was made (False when already seeded or no course)."""
    contact = User.objects.filter(username="org").select_related("organization").first()
    course = (
        CoursePage.objects.live()
        .filter(category=Category.STATUTORY, title=STATUTORY_COURSE_TITLE)
        .first()
    )
    if contact is None or contact.organization is None or course is None:
        return False
    organization = contact.organization
    today = timezone.localdate()
    assignment, created = TrainingAssignment.objects.get_or_create(
        organization=organization,
        course=course,
        year=today.year,
        defaults={"deadline": dt.date(today.year, 12, 31), "created_by": contact},
    )
    if not created:
        return False
    Invitation.objects.get_or_create(
        organization=organization,
        email="",
        revoked_at=None,
        defaults={"created_by": contact},
    )
    lessons = list(LessonPage.objects.child_of(course).live())
    now = timezone.now()
    for username, name, state in DEMO_EMPLOYEES:
        user = User.objects.filter(username=username).first() or user_create(
            username=username,
            email=f"{username}@demo.slacademy.kr",
            password=None,
            name=name,
        )
        Employee.objects.get_or_create(
            user=user, defaults={"organization": organization}
        )
        enrollment = enrollment_create(user=user, course=course)
        if state == "not_started":
            continue
        for lesson in lessons:
            duration = lesson.duration or 60
            watched = duration if state == "completed" else duration / 2
            LessonProgress.objects.update_or_create(
                user=user,
                lesson=lesson,
                defaults={
                    "enrollment": enrollment,
                    "ranges": [[0, watched]],
                    "watched_seconds": watched,
                    "credited_seconds": watched,
                    "position": watched,
                    "completed_at": now if state == "completed" else None,
                },
            )
        if state == "completed":
            Enrollment.objects.filter(pk=enrollment.pk).update(
                completed_at=now, last_activity_at=now
            )
            certificate_issue(enrollment_id=enrollment.pk)
    return True
