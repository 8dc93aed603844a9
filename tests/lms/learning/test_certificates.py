"""Course completion with its test and survey, and the certificate: issued once, Korean PDF,
public verification of a valid, a revoked and an unknown number."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from pypdf import PdfReader

from lms.learning.models import Certificate, Enrollment
from lms.learning.services import (
    certificate_issue,
    certificate_revoke,
    course_survey_submit,
    course_test_start,
    course_test_submit,
    enrollment_completion_check,
    enrollment_create,
    heartbeat_record,
)
from lms.learning.tasks import issue_certificate
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import T0, deliver

pytestmark = pytest.mark.django_db


def _watch_all(user, course):
    for offset, lesson in enumerate(course.get_children().specific()):
        player = Player(duration=30, clock=offset * 60.0).start().play(30)
        deliver(user, lesson, player.beats)


@pytest.fixture
def course():
    return course_page(
        lessons=2,
        duration=30.0,
        questions=4,
        test_question_count=3,
        survey_required=True,
    )


def test_course_completes_only_after_lessons_test_and_survey(
    course, django_capture_on_commit_callbacks
):
    user = UserFactory(name="김민용")
    enrollment = enrollment_create(user=user, course=course)
    _watch_all(user, course)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None  # test and survey still to do

    attempt = course_test_start(enrollment=enrollment)
    assert len(attempt.question_ids) == 3  # drawn from a bank of 4
    failed = course_test_submit(attempt=attempt, answers={})
    assert failed.score == 0 and not failed.passed
    attempt = course_test_start(enrollment=enrollment)
    wrong_one = {pk: 1 for pk in attempt.question_ids[:2]} | {
        attempt.question_ids[2]: 2
    }
    passed = course_test_submit(attempt=attempt, answers=wrong_one)
    assert passed.score == 67 and passed.passed  # 2 of 3, pass mark 60
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None  # survey still to do

    with django_capture_on_commit_callbacks() as callbacks:
        course_survey_submit(enrollment=enrollment, score=4, comment="좋았어요")
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    # One certificate task scheduled, and the completion's training record (lms.records).
    assert len(callbacks) == 2


def test_attempts_are_limited(course):
    user = UserFactory()
    enrollment = enrollment_create(user=user, course=course)
    _watch_all(user, course)
    for _ in range(course.test_attempts_limit):
        course_test_submit(attempt=course_test_start(enrollment=enrollment), answers={})

    with pytest.raises(Exception, match="횟수를 모두"):
        course_test_start(enrollment=enrollment)


def _completed_enrollment() -> Enrollment:
    course = course_page(lessons=1, duration=30.0, title="직장 내 괴롭힘 예방")
    user = UserFactory(name="김민용")
    enrollment = enrollment_create(user=user, course=course)
    _watch_all(user, course)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    return enrollment


def test_certificate_is_issued_once_however_many_completion_events(
    django_capture_on_commit_callbacks,
):
    enrollment = _completed_enrollment()
    lesson = enrollment.course.get_children().specific().first()

    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):  # more completion events: beats, checks
            enrollment_completion_check(enrollment=enrollment)
            heartbeat_record(
                user=enrollment.user,
                lesson_id=lesson.pk,
                session_id=uuid.uuid4(),
                seq=0,
                ranges=[[0, 30]],
                position=30,
                playback_rate=1,
                now=T0,
            )
    assert callbacks == []  # completion was marked once, before
    numbers = {issue_certificate.apply(args=[enrollment.pk]).get() for _ in range(4)}
    numbers.add(certificate_issue(enrollment_id=enrollment.pk).number)

    assert len(numbers) == 1
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert re.fullmatch(
        r"SLA-\d{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", numbers.pop()
    )


def test_pdf_renders_korean_text(client):
    enrollment = _completed_enrollment()
    certificate = certificate_issue(enrollment_id=enrollment.pk)
    client.force_login(enrollment.user)

    response = client.get(f"/my/certificates/{certificate.number}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = (
        PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        .pages[0]
        .extract_text()
    )
    assert "수 료 증" in text
    assert "김민용" in text
    assert "직장 내 괴롭힘 예방" in text
    assert certificate.number in text
    # Someone else's certificate is not theirs to download.
    client.force_login(UserFactory())
    assert client.get(f"/my/certificates/{certificate.number}.pdf").status_code == 404


def test_verification_page_valid_revoked_unknown(client):
    enrollment = _completed_enrollment()
    certificate = certificate_issue(enrollment_id=enrollment.pk)

    valid = client.get(f"/certificates/verify/{certificate.number}")
    html = valid.content.decode()
    assert valid.status_code == 200
    assert "유효한 수료증입니다" in html
    assert "김*용" in html and "김민용" not in html
    assert "직장 내 괴롭힘 예방" in html
    assert "<svg" in html  # the QR code

    certificate_revoke(
        certificate=certificate,
        by=UserFactory(is_superuser=True),
        reason="부정 수강 확인",
    )
    revoked = client.get(f"/certificates/verify/{certificate.number}").content.decode()
    assert "취소된 수료증입니다" in revoked and "유효한 수료증" not in revoked

    unknown = client.get("/certificates/verify/SLA-2026-ZZZZ-ZZZZ")
    assert unknown.status_code == 404
    assert "등록되지 않은 수료증 번호입니다" in unknown.content.decode()


def test_progress_api_shows_the_certificate(client):
    enrollment = _completed_enrollment()
    certificate = certificate_issue(enrollment_id=enrollment.pk)
    client.force_login(enrollment.user)

    body = client.get(f"/api/v1/me/courses/{enrollment.course_id}/progress").json()

    assert body["completed"] is True and body["progress"] == 100.0
    assert body["certificate"]["number"] == certificate.number
    assert body["certificate"]["verify_url"].endswith(
        f"/certificates/verify/{certificate.number}"
    )


def test_periodic_task_issues_certificates_whose_task_never_ran():
    from lms.learning.tasks import issue_missing_certificates

    enrollment = _completed_enrollment()  # its on_commit task never ran in this test
    assert not Certificate.objects.filter(enrollment=enrollment).exists()

    assert issue_missing_certificates.apply().get() == 1
    assert issue_missing_certificates.apply().get() == 0
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_verification_form_sends_a_typed_number_to_its_result(client):
    enrollment = _completed_enrollment()
    certificate = certificate_issue(enrollment_id=enrollment.pk)

    blank = client.get("/certificates/verify/")
    assert blank.status_code == 200
    assert 'name="number"' in blank.content.decode()

    # Typed by hand: lower case and stray spaces are forgiven.
    typed = certificate.number.lower().replace("-", " - ", 1)
    answer = client.get("/certificates/verify/", {"number": f"  {typed} "})
    assert answer.status_code == 302
    assert answer["Location"] == f"/certificates/verify/{certificate.number}"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "수료증 번호를 입력해 주세요."),
        ("12345", "수료증 번호의 형식이 맞지 않습니다."),
    ],
)
def test_verification_form_ties_a_korean_error_to_the_field(client, typed, message):
    html = client.get("/certificates/verify/", {"number": typed}).content.decode()
    error = re.search(r'<p class="field__error" id="id_number_error">([^<]+)</p>', html)
    assert error and message in error.group(1)
    field = re.search(r"<input[^>]*id=\"id_number\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_number_error" in field and "id_number_helptext" in field
    assert f'href="#id_number">수료증 번호: {message}' in html  # the summary
    if typed:
        assert f'value="{typed}"' in field  # nothing typed is lost
