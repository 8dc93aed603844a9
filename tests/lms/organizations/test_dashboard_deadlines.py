"""내 강의실 shows the deadline an employer set on an assigned course, the nearest first,
and says when it has passed; a learner with no employer sees none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cms.courses import Category
from core.templatetags.korean import korean_date
from lms.learning.services import enrollment_create
from lms.organizations import services
from tests.factories import UserFactory
from tests.factories.learning import course_page

pytestmark = pytest.mark.django_db


def _employee(organization, contact):
    user = UserFactory(name="이바다")
    link = services.invitation_link_get(organization=organization, by=contact)
    services.invitation_accept(token=link.token, user=user)
    return user


def test_an_assigned_course_shows_its_deadline_nearest_first(
    client, organization, contact, statutory_course
):
    today = timezone.localdate()
    later = course_page(
        lessons=1,
        title="장애인 인식개선",
        category=Category.STATUTORY,
        audience="workplace",
    )
    services.assignment_create(
        organization=organization,
        course=later,
        deadline=today + dt.timedelta(days=60),
        by=contact,
    )
    services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=today + dt.timedelta(days=10),
        by=contact,
    )
    free = course_page(lessons=1, title="청년 노동법 기초")
    employee = _employee(organization, contact)
    enrollment_create(user=employee, course=free)
    client.force_login(employee)

    page = client.get("/my/").content.decode()

    near = f"이수 기한 {korean_date(today + dt.timedelta(days=10))}"
    far = f"이수 기한 {korean_date(today + dt.timedelta(days=60))}"
    assert near in page and far in page and "성북 시험 사업장 지정 교육" in page
    assert page.index(near) < page.index(far) < page.index("청년 노동법 기초")
    assert page.count("이수 기한") == 2 and "기한이 지났습니다" not in page

    # Another learner of the same course, with no employer: no deadline.
    other = UserFactory(name="최산들")
    enrollment_create(user=other, course=statutory_course)
    client.force_login(other)
    assert "이수 기한" not in client.get("/my/").content.decode()


def test_a_passed_deadline_is_said_to_have_passed(
    client, organization, contact, statutory_course
):
    services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=timezone.localdate() + dt.timedelta(days=3),
        by=contact,
    )
    employee = _employee(organization, contact)
    client.force_login(employee)
    assert "기한이 지났습니다" not in client.get("/my/").content.decode()

    organization.training_assignments.update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert "기한이 지났습니다" in client.get("/my/").content.decode()
