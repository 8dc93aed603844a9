"""The learner's pages: catalog search in Korean, course, lesson, 내 강의실, test and survey,
and a flat number of queries as courses and enrollments grow."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.accounts.models import User
from lms.learning.models import Enrollment, LessonProgress
from lms.learning.services import enrollment_create
from lms.surveys.selectors import survey_summary_for
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver

pytestmark = pytest.mark.django_db


def test_catalog_finds_korean_compounds_by_part_and_filters(client):
    short_hours = course_page(
        title="근로시간단축 제도 이해", category="labor-law", audience="citizen"
    )
    course_page(title="청소년 아르바이트 권리", category="youth", audience="youth")

    def titles(**params):
        html = client.get("/courses/", params).content.decode()
        return [t for t in ("근로시간단축", "청소년 아르바이트") if t in html]

    assert titles(q="근로시간") == ["근로시간단축"]
    assert titles(q="시간단축") == ["근로시간단축"]
    assert titles(q="근로 단축") == ["근로시간단축"]  # every word must match
    assert titles(category="youth") == ["청소년 아르바이트"]
    assert titles(audience="citizen") == ["근로시간단축"]
    assert titles() == ["근로시간단축", "청소년 아르바이트"]
    assert short_hours.url == "/courses/" + short_hours.slug + "/"


def test_course_and_lesson_pages_for_visitor_and_learner(client):
    course = course_page(lessons=2, duration=60.0, title="임금의 기초")
    lesson = course.get_children().specific().first()

    visitor = client.get(course.url).content.decode()
    assert "로그인하고 수강 신청" in visitor and "1차시" in visitor
    assert 'id="lesson-video"' not in client.get(lesson.url).content.decode()

    user = UserFactory()
    client.force_login(user)
    assert "수강 신청" in client.get(course.url).content.decode()
    response = client.post(f"/my/courses/{course.pk}/enroll/")
    assert response.status_code == 302
    deliver(user, lesson, Player(duration=60).start().play(20).beats)

    html = client.get(lesson.url).content.decode()
    assert 'id="lesson-video"' in html
    assert 'data-resume="20.0"' in html
    assert "heartbeat.js" in html and "<script>" not in html
    # Captions come with the HLS master (a SUBTITLES group); the player names them.
    assert 'data-captions="ko"' in html
    course_html = client.get(course.url).content.decode()
    assert "이어 보기: 1차시 (0:20부터)" in course_html


def test_dashboard_shows_resume_completed_and_certificates(client):
    ongoing = course_page(lessons=2, duration=60.0, title="노동조합 설립과 운영")
    done = course_page(lessons=1, duration=30.0, title="직장 내 성희롱 예방")
    user = UserFactory()
    for course in (ongoing, done):
        enrollment_create(user=user, course=course)
    deliver(
        user,
        ongoing.get_children().specific()[1],
        Player(duration=60).start().play(42).beats,
    )
    deliver(
        user,
        done.get_children().specific()[0],
        # After the first lesson: played at once, it would earn no time.
        Player(duration=30, clock=100.0).start().play(30).beats,
    )
    client.force_login(user)

    html = client.get("/my/").content.decode()

    assert "학습 중인 강의 (1)" in html and "수료한 강의 (1)" in html
    assert "이어 보기: 2차시 (0:42부터)" in html
    assert "수료증을 발급하고 있습니다" in html


def test_dashboard_needs_login(client):
    assert client.get("/my/").status_code == 302


def test_test_and_survey_pages_complete_the_course(client):
    course = course_page(
        lessons=1,
        duration=30.0,
        questions=2,
        test_question_count=2,
        survey_required=True,
    )
    user = UserFactory()
    enrollment = enrollment_create(user=user, course=course)
    deliver(
        user,
        course.get_children().specific()[0],
        # After the first lesson: played at once, it would earn no time.
        Player(duration=30, clock=100.0).start().play(30).beats,
    )
    client.force_login(user)

    page = client.get(f"/my/courses/{course.pk}/test/").content.decode()
    assert page.count('type="radio"') == 4  # two O/X questions
    attempt = enrollment.test_attempts.get()
    answers = {f"q{pk}": "1" for pk in attempt.question_ids}
    client.post(f"/my/courses/{course.pk}/test/", {"attempt": attempt.pk, **answers})
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed

    bad = client.post(f"/my/courses/{course.pk}/survey/", {"score": "9"})
    assert bad.status_code == 400 and "1점부터 5점" in bad.content.decode()
    client.post(f"/my/courses/{course.pk}/survey/", {"score": "5", "comment": "유익"})
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert survey_summary_for(subject=course)["count"] == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.slow
def test_pages_keep_a_flat_number_of_queries(client):
    learner = UserFactory()
    first = course_page(lessons=3, duration=60.0, questions=2)
    lesson = first.get_children().specific().first()
    enrollment_create(user=learner, course=first)
    deliver(learner, lesson, Player(duration=60).start().play(10).beats)
    client.force_login(learner)
    urls = ["/courses/", first.url, lesson.url, "/my/"]
    before = [_queries(client, url) for url in urls]

    # Grow: 200 courses (the learner in 30 of them, with progress), 10,000 enrollments.
    courses = [first] + [course_page(lessons=0) for _ in range(199)]
    for course in courses[1:30]:
        lesson_of = course_page.__globals__["lesson_page"](course=course, duration=60.0)
        enrollment = enrollment_create(user=learner, course=course)
        LessonProgress.objects.create(
            user=learner, lesson=lesson_of, enrollment=enrollment, position=5
        )
        enrollment.last_lesson = lesson_of
        enrollment.save()
    password = make_password("x")
    others = User.objects.bulk_create(
        User(username=f"bulk{i}", email=f"bulk{i}@example.org", password=password)
        for i in range(10_000)
    )
    Enrollment.objects.bulk_create(
        Enrollment(user=user, course=courses[i % 200]) for i, user in enumerate(others)
    )
    after = [_queries(client, url) for url in urls]

    assert after == before, dict(
        zip(urls, zip(before, after, strict=True), strict=True)
    )
    assert Enrollment.objects.count() >= 10_000
