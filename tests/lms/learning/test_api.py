"""The learning operations of the API (README, "API"): courses, enrollment, heartbeats, progress."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_page(
        lessons=2, duration=60.0, title="근로시간단축 제도 이해", keywords="주52시간"
    )


def test_course_list_and_detail_follow_the_contract(client, course):
    listing = client.get("/api/v1/courses", {"q": "근로시간"}).json()
    assert [c["id"] for c in listing] == [course.pk]
    assert listing[0]["category_label"] == "노동법"
    assert client.get("/api/v1/courses", {"q": "시간단축"}).json()[0]["id"] == course.pk
    assert client.get("/api/v1/courses", {"q": "최저임금"}).json() == []

    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert [lesson["title"] for lesson in detail["lessons"]] == ["1차시", "2차시"]
    assert detail["lessons"][0]["duration"] == 60.0
    assert detail["pass_mark"] == 60 and detail["lesson_coverage_percent"] == 80


def test_unknown_course_is_a_problem_404(client):
    response = client.get("/api/v1/courses/999999")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_enroll_beat_and_read_progress_with_a_bearer_token(client, course, password):
    user = UserFactory(username="api-learner")
    token = client.post(
        "/api/v1/auth/token",
        {"username": "api-learner", "password": password},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    lesson = course.get_children().first()

    refused = client.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeats",
        {"session_id": str(uuid.uuid4()), "seq": 0, "ranges": [], "position": 0},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"

    enrolled = client.post(f"/api/v1/courses/{course.pk}/enrollment", **auth)
    assert enrolled.status_code == 200 and enrolled.json()["course_id"] == course.pk
    session = str(uuid.uuid4())
    for seq, ranges in enumerate([[], [[0, 30]]]):
        beat = client.post(
            f"/api/v1/lessons/{lesson.pk}/heartbeats",
            {
                "session_id": session,
                "seq": seq,
                "ranges": ranges,
                "position": 30,
                "playback_rate": 1.0,
            },
            content_type="application/json",
            **auth,
        )
        assert beat.status_code == 200
    # Both beats arrived at once: 30 s covered, but only ~3 s of server time passed.
    body = beat.json()
    assert body["watched_seconds"] == 30.0
    assert body["credited_seconds"] <= 3.5
    assert body["completed"] is False

    progress = client.get(f"/api/v1/me/courses/{course.pk}/progress", **auth).json()
    assert progress["completed"] is False and progress["certificate"] is None
    assert progress["lessons"][0]["id"] == lesson.pk
    assert progress["lessons"][0]["watched_seconds"] == 30.0
    assert user.enrollments.count() == 1


def test_progress_of_a_course_not_enrolled_is_404(client, course):
    client.force_login(UserFactory())

    assert client.get(f"/api/v1/me/courses/{course.pk}/progress").status_code == 404


def test_malformed_beat_lists_the_fields(client, course):
    user = UserFactory()
    client.force_login(user)
    lesson = course.get_children().first()

    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/heartbeats",
        {"session_id": "nope", "seq": -1, "ranges": [[0]], "position": 0},
        content_type="application/json",
    )

    assert response.status_code in (400, 422)
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"session_id", "seq"} <= fields


@pytest.mark.parametrize(
    "field, value",
    [("seq", "1"), ("seq", True), ("position", "3.5"), ("ranges", [["0", 3]])],
)
def test_a_number_in_the_body_must_be_a_json_number(client, course, field, value):
    # Lax parsing read "1" as 1 and true as 1: the fuzzer's schema-violating bodies
    # were accepted. The schema says number, so anything else is 422 at its field.
    client.force_login(UserFactory())
    lesson = course.get_children().first()
    client.post(f"/api/v1/courses/{course.pk}/enrollment")
    beat = {"session_id": str(uuid.uuid4()), "seq": 0, "ranges": [], "position": 0}
    url = f"/api/v1/lessons/{lesson.pk}/heartbeats"

    assert client.post(url, beat, content_type="application/json").status_code == 200
    response = client.post(
        url, {**beat, "seq": 1, field: value}, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in {e["field"].split(".")[0] for e in response.json()["errors"]}


def test_the_beacon_reads_beats_with_the_api_schema_and_keeps_the_good_ones(course):
    import json

    from django.test import Client

    browser = Client()
    user = UserFactory()
    browser.force_login(user)
    lesson = course.get_children().first()
    browser.post(f"/my/courses/{course.pk}/enroll/")
    session = str(uuid.uuid4())
    beats = [
        {"session_id": session, "seq": 0, "ranges": [], "position": 0},
        {"session_id": session, "seq": 1, "ranges": [[0, 8.0]], "position": 8.0},
        # Outside the API's bounds: refused by itself (the old code clamped it to 16).
        {
            "session_id": session,
            "seq": 2,
            "ranges": [],
            "position": 8,
            "playback_rate": 99,
        },
        {"session_id": session, "seq": "3", "ranges": [], "position": 8},
    ]

    response = browser.post(
        f"/my/lessons/{lesson.pk}/beacon/", {"beats": json.dumps(beats)}
    )

    assert response.status_code == 400
    assert "2건" in response.json()["detail"]
    progress = browser.get(f"/api/v1/me/courses/{course.pk}/progress").json()
    assert progress["lessons"][0]["watched_seconds"] == 8.0
    not_a_list = browser.post(f"/my/lessons/{lesson.pk}/beacon/", {"beats": "{}"})
    assert not_a_list.status_code == 400


def test_beacon_form_with_csrf_token_records_beats(course):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    user = UserFactory()
    browser.force_login(user)
    lesson = course.get_children().first()
    browser.post(f"/my/courses/{course.pk}/enroll/")  # refused: no token
    page = browser.get(course.url)
    token = page.cookies["csrftoken"].value
    assert (
        browser.post(
            f"/my/courses/{course.pk}/enroll/", {"csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    session = str(uuid.uuid4())
    beats = [
        {"session_id": session, "seq": 0, "ranges": [], "position": 0},
        {"session_id": session, "seq": 1, "ranges": [[0, 12.5]], "position": 12.5},
    ]
    import json

    without_token = browser.post(
        f"/my/lessons/{lesson.pk}/beacon/", {"beats": json.dumps(beats)}
    )
    assert without_token.status_code == 403
    response = browser.post(
        f"/my/lessons/{lesson.pk}/beacon/",
        {"csrfmiddlewaretoken": token, "beats": json.dumps(beats)},
    )

    assert response.status_code == 204
    progress = browser.get(f"/api/v1/me/courses/{course.pk}/progress").json()
    assert progress["lessons"][0]["watched_seconds"] == 12.5


def test_course_survey_through_the_api_once(client):
    course = course_page(lessons=1, duration=30.0, survey_required=True)
    user = UserFactory()
    client.force_login(user)
    url = f"/api/v1/courses/{course.pk}/survey"

    assert (
        client.post(url, {"score": 4}, content_type="application/json").status_code
        == 404
    )
    client.post(f"/api/v1/courses/{course.pk}/enrollment")
    closed = client.post(url, {"score": 4}, content_type="application/json")
    assert closed.status_code == 409 and "필수 차시" in closed.json()["detail"]
    lesson = course.get_children().specific().get()
    deliver(user, lesson, Player(duration=30).start().play(30).beats)
    first = client.post(
        url, {"score": 4, "comment": "좋아요"}, content_type="application/json"
    )
    again = client.post(url, {"score": 5}, content_type="application/json")

    assert first.status_code == 200 and first.json() == {
        "answered": True,
        "completed": True,  # its one lesson watched, no test: the survey completes it
    }
    assert again.status_code == 409 and "이미" in again.json()["detail"]
