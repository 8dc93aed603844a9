"""Staff views in the Wagtail admin: learners with progress, masked; exports need a reason and
are logged; certificates can be revoked; learners cannot get in."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from lms.learning.services import certificate_issue, enrollment_create
from lms.privacy.models import PersonalDataAccess
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_learners():
    course = course_page(lessons=2, duration=30.0, title="임금의 기초")
    done = UserFactory(name="김민용", email="minyong@example.org")
    halfway = UserFactory(name="이서연", email="seoyeon@example.org")
    for user in (done, halfway):
        enrollment_create(user=user, course=course)
    lessons = list(course.get_children().specific())
    for offset, lesson in enumerate(lessons):
        deliver(
            done,
            lesson,
            Player(duration=30, clock=offset * 60.0).start().play(30).beats,
        )
    deliver(halfway, lessons[0], Player(duration=30).start().play(30).beats)
    certificate = certificate_issue(enrollment_id=done.enrollments.get().pk)
    return course, certificate


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, username="boss"))
    return client


def test_learners_list_is_masked_and_logged(admin_client, course_with_learners):
    course, certificate = course_with_learners
    overview = admin_client.get("/admin/learning/").content.decode()
    assert "임금의 기초" in overview and "온라인 학습 현황" in overview

    html = admin_client.get(
        f"/admin/learning/courses/{course.pk}/learners/"
    ).content.decode()

    assert "김*용" in html and "이*연" in html and "김민용" not in html
    assert "m***@example.org" in html and "minyong@" not in html
    assert "2/2" in html and "1/2" in html and certificate.number in html
    log = PersonalDataAccess.objects.get()
    assert (
        log.action == "view" and log.record_count == 2 and log.actor_username == "boss"
    )


def test_export_requires_a_reason_and_is_masked_and_logged(
    admin_client, course_with_learners
):
    course, certificate = course_with_learners
    url = f"/admin/learning/courses/{course.pk}/learners/export/"

    refused = admin_client.post(url, {"format": "csv", "reason": " "})
    assert refused.status_code == 302
    too_short = admin_client.post(url, {"format": "csv", "reason": "보고"})
    assert too_short.status_code == 302  # the same rule as every export: 5+ characters
    assert not PersonalDataAccess.objects.filter(action="export").exists()

    response = admin_client.post(url, {"format": "csv", "reason": "분기 실적 보고"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "성명"
    assert sorted(r[0] for r in rows[1:]) == ["김*용", "이*연"]
    assert {r[6] for r in rows[1:]} == {certificate.number, ""}

    xlsx = admin_client.post(url, {"format": "xlsx", "reason": "분기 실적 보고"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "성명" and sheet.max_row == 3
    exports = PersonalDataAccess.objects.filter(action="export")
    assert exports.count() == 2 and {e.reason for e in exports} == {"분기 실적 보고"}


def test_staff_revokes_a_certificate(admin_client, client, course_with_learners):
    course, certificate = course_with_learners

    admin_client.post(
        f"/admin/learning/certificates/{certificate.pk}/revoke/",
        {"reason": "중복 수강"},
    )

    certificate.refresh_from_db()
    assert (
        certificate.revoked_at is not None and certificate.revoked_reason == "중복 수강"
    )
    assert (
        "취소된 수료증" in client.get(certificate.get_absolute_url()).content.decode()
    )


def test_learners_cannot_open_the_staff_views(client, course_with_learners):
    course, _certificate = course_with_learners
    client.force_login(UserFactory())

    response = client.get(f"/admin/learning/courses/{course.pk}/learners/")

    assert response.status_code in (302, 403)
    assert not PersonalDataAccess.objects.exists()
