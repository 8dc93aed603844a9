"""Invitations by link and CSV, joining, assignment and enrollment, progress figures,
reminders: the portal's services, with emails sent by the real Celery tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.problems import Conflict, Problem
from lms.learning.models import Enrollment
from lms.organizations import selectors, services
from lms.organizations.models import Employee, Invitation, TrainingReminder
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.learning import course_page
from tests.lms.organizations.conftest import complete, pass_test, watch_lessons

pytestmark = pytest.mark.django_db

CSV = (
    "이름,이메일,휴대전화\n"
    "김하늘,sky@example.org,010-1234-5678\n"
    ",noname@example.org,\n"
    "이바다,not-an-email,\n"
    "박들꽃,flower@example.org,전화없음\n"
    "최산들,SKY@example.org,\n"
    "정소나,pine@example.org,\n"
).encode()


def test_csv_invites_good_rows_reports_bad_rows_in_korean_and_never_duplicates(
    organization, contact, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_import_csv(
            organization=organization, by=contact, content=CSV
        )
    assert [i.email for i in result.created] == ["sky@example.org", "pine@example.org"]
    errors = {e.line: e.message for e in result.errors}
    assert set(errors) == {3, 4, 5, 6}
    assert "이름이 비어 있습니다" in errors[3]
    assert "이메일 주소가 올바르지 않습니다" in errors[4]
    assert "휴대전화 번호가 올바르지 않습니다" in errors[5]
    assert "같은 파일에 이미 있는 이메일" in errors[6]
    # One Korean email per good row, each with its own join link.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "pine@example.org",
        "sky@example.org",
    ]
    sky = Invitation.objects.get(email="sky@example.org")
    message = next(m for m in mail.outbox if m.to == ["sky@example.org"])
    assert (
        "법정의무교육" in message.subject and f"/org/join/{sky.token}/" in message.body
    )
    assert sky.sent_at is not None

    # The same file again (cp949, as Excel saves it): nothing new, no email.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.invitations_import_csv(
            organization=organization, by=contact, content=CSV.decode().encode("cp949")
        )
    assert again.created == [] and sorted(again.already) == [
        "pine@example.org",
        "sky@example.org",
    ]
    assert Invitation.objects.exclude(email="").count() == 2
    assert mail.outbox == []


def test_csv_without_header_and_empty_file(organization, contact):
    result = services.invitations_import_csv(
        organization=organization, by=contact, content=b"Kim,kim@example.org\n"
    )
    assert [i.name for i in result.created] == ["Kim"]
    with pytest.raises(Problem, match="초대할 사람이 없습니다"):
        services.invitations_import_csv(
            organization=organization, by=contact, content=b"\n\n"
        )


def test_link_invitation_is_shared_and_joining_enrolls_in_assignments(
    organization, contact, statutory_course
):
    link = services.invitation_link_get(organization=organization, by=contact)
    assert services.invitation_link_get(organization=organization, by=contact) == link
    assignment = services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )
    first, second = UserFactory(name="김하늘"), UserFactory(name="이바다")
    for user in (first, second):
        services.invitation_accept(token=link.token, user=user)
    # Twice is harmless.
    services.invitation_accept(token=link.token, user=first)
    assert Employee.objects.filter(organization=organization).count() == 2
    assert set(
        Enrollment.objects.filter(course=statutory_course).values_list(
            "user_id", flat=True
        )
    ) == {first.pk, second.pk}
    assert assignment.year == assignment.deadline.year


def test_personal_invitation_is_used_once_and_another_organization_is_refused(
    organization, contact
):
    result = services.invitations_import_csv(
        organization=organization, by=contact, content=b"Kim,kim@example.org\n"
    )
    token = result.created[0].token
    kim = UserFactory(email="kim@example.org")
    services.invitation_accept(token=token, user=kim)
    with pytest.raises(Conflict, match="이미 사용된 초대"):
        services.invitation_accept(token=token, user=UserFactory())
    other = OrganizationFactory()
    other_link = services.invitation_link_get(organization=other, by=contact)
    with pytest.raises(Conflict, match="이미 다른 기관"):
        services.invitation_accept(token=other_link.token, user=kim)


def test_assignment_enrolls_existing_employees_and_only_statutory_courses(
    organization, contact, statutory_course
):
    link = services.invitation_link_get(organization=organization, by=contact)
    employee = UserFactory()
    services.invitation_accept(token=link.token, user=employee)
    deadline = timezone.localdate() + dt.timedelta(days=10)
    services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=deadline,
        by=contact,
    )
    assert Enrollment.objects.filter(user=employee, course=statutory_course).exists()
    with pytest.raises(Conflict):
        services.assignment_create(
            organization=organization,
            course=statutory_course,
            deadline=deadline,
            by=contact,
        )
    with pytest.raises(Problem, match="법정의무교육 강의만"):
        services.assignment_create(
            organization=organization,
            course=course_page(lessons=1),
            deadline=deadline,
            by=contact,
        )


@pytest.fixture
def staffed(organization, contact, statutory_course):
    """Four employees: completed; lessons done and the test failed; one lesson; none.

    (The test opens only once the lessons are complete.)"""
    assignment = services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )
    link = services.invitation_link_get(organization=organization, by=contact)
    people = {}
    for key, name in [
        ("done", "김하늘"),
        ("half", "이바다"),
        ("one", "박들꽃"),
        ("none", "최산들"),
    ]:
        user = UserFactory(username=f"emp-{key}", name=name, phone="010-2222-3333")
        services.invitation_accept(token=link.token, user=user)
        people[key] = user
    number = complete(people["done"], statutory_course)
    watch_lessons(people["half"], statutory_course)
    pass_test(people["half"], statutory_course, right=False)
    watch_lessons(people["one"], statutory_course, count=1)
    return assignment, people, number


def test_progress_figures_per_employee_and_filters(
    staffed, django_assert_max_num_queries
):
    assignment, people, number = staffed
    with django_assert_max_num_queries(6):
        rows = {r.name: r for r in selectors.assignment_progress(assignment=assignment)}
    done, half, one, none = (
        rows["김하늘"],
        rows["이바다"],
        rows["박들꽃"],
        rows["최산들"],
    )
    assert (done.status, done.progress, done.test_score) == ("completed", 100.0, 100)
    assert done.certificate_number == number and done.completed_at is not None
    assert (half.status, half.progress, half.test_score) == ("in_progress", 100.0, 0)
    assert (one.status, one.progress, one.test_score) == ("in_progress", 50.0, None)
    assert (none.status, none.progress, none.certificate_number) == (
        "not_started",
        0.0,
        "",
    )
    # Contact details masked; the name stays so the contact knows who it is.
    assert done.email_masked == "e***@example.org"
    assert done.phone_masked == "010-****-3333"

    names = lambda only, **kw: sorted(  # noqa: E731
        r.name
        for r in selectors.assignment_progress(assignment=assignment, only=only, **kw)
    )
    assert names("not_started") == ["최산들"]
    assert names("completed") == ["김하늘"]
    assert names("overdue") == []
    late = assignment.deadline + dt.timedelta(days=1)
    assert names("overdue", today=late) == ["박들꽃", "이바다", "최산들"]


def test_reminders_go_to_the_incomplete_once_a_day(
    staffed, contact, eager_celery, django_capture_on_commit_callbacks
):
    assignment, people, _number = staffed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_send(assignment=assignment, by=contact)
    assert (result.sent, result.skipped) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        people[k].email for k in ("half", "one", "none")
    )
    assert all("아직 수료하지 않았습니다" in m.body for m in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reminders_send(assignment=assignment, by=contact)
    assert (again.sent, again.skipped) == (0, 3)
    assert mail.outbox == []

    tomorrow = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        next_day = services.reminders_send(
            assignment=assignment, by=contact, now=tomorrow
        )
    assert next_day.sent == 3 and len(mail.outbox) == 3
    assert TrainingReminder.objects.count() == 6


def test_progress_query_count_does_not_grow_with_employees(
    organization, contact, statutory_course, django_assert_num_queries
):
    assignment = services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )
    link = services.invitation_link_get(organization=organization, by=contact)

    def hire(count: int) -> None:
        for _ in range(count):
            services.invitation_accept(token=link.token, user=UserFactory())

    hire(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert len(selectors.assignment_progress(assignment=assignment)) == 2
    hire(25)
    complete(Employee.objects.last().user, statutory_course)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(selectors.assignment_progress(assignment=assignment)) == 27
