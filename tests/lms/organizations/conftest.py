"""An organization with its contact, a statutory course with a test, and helpers that
take an employee through the course with the learning services."""

from __future__ import annotations

import pytest

from cms.courses import Category
from lms.accounts.models import Role
from lms.learning.models import Enrollment
from lms.learning.services import (
    certificate_issue,
    course_test_start,
    course_test_submit,
)
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="성북 시험 사업장")


@pytest.fixture
def contact(organization):
    return UserFactory(
        username="contact", role=Role.ORG_CONTACT, organization=organization
    )


@pytest.fixture
def statutory_course(db):
    return course_page(
        lessons=2,
        duration=30.0,
        questions=2,
        test_question_count=2,
        title="직장 내 성희롱 예방",
        category=Category.STATUTORY,
        audience="workplace",
    )


def watch_lessons(user, course, *, count: int | None = None) -> None:
    lessons = list(course.get_children().specific())
    for offset, lesson in enumerate(lessons[:count]):
        player = Player(duration=30, clock=offset * 60.0).start().play(30)
        deliver(user, lesson, player.beats)


def pass_test(user, course, *, right: bool = True) -> int:
    enrollment = Enrollment.objects.get(user=user, course=course)
    attempt = course_test_start(enrollment=enrollment)
    answers = {pk: (1 if right else 2) for pk in attempt.question_ids}
    return course_test_submit(attempt=attempt, answers=answers).score


def complete(user, course) -> str:
    """Watch every lesson, pass the test; returns the certificate number."""
    watch_lessons(user, course)
    pass_test(user, course)
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.completed_at is not None
    return certificate_issue(enrollment_id=enrollment.pk).number
