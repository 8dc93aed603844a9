"""The test and the survey open once the lesson rule is met; the test's result page shows
score, pass mark and attempts left, and which answers were wrong only after a pass or the
last attempt."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lms.learning.models import Enrollment
from lms.learning.services import enrollment_create
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_page(
        lessons=2,
        duration=30.0,
        questions=3,
        test_question_count=3,
        test_attempts_limit=2,
        pass_mark=60,
        survey_required=True,
    )


@pytest.fixture
def learner(client, course):
    user = UserFactory(name="김민용")
    enrollment_create(user=user, course=course)
    client.force_login(user)
    return user


def _watch_all(user, course):
    for offset, lesson in enumerate(course.get_children().specific()):
        player = Player(duration=30, clock=offset * 60.0).start().play(30)
        deliver(user, lesson, player.beats)


def _sit(client, course, *, right: int) -> str:
    """Take the test with `right` answers right; returns the result page's text."""
    page = client.get(reverse("learning:course-test", args=[course.pk]))
    assert page.status_code == 200
    attempt = page.context["attempt"]
    answers = {
        f"q{pk}": "1" if i < right else "2" for i, pk in enumerate(attempt.question_ids)
    }
    submitted = client.post(
        reverse("learning:course-test", args=[course.pk]),
        {"attempt": attempt.pk, **answers},
    )
    assert submitted.status_code == 302
    assert submitted["Location"] == reverse(
        "learning:course-test-result", args=[course.pk, attempt.pk]
    )
    return client.get(submitted["Location"]).content.decode()


def test_test_and_survey_stay_closed_until_every_required_lesson_is_complete(
    client, course, learner
):
    page = client.get(course.url).content.decode()
    assert page.count("필수 차시를 모두 이수하면 열립니다") == 2
    assert reverse("learning:course-test", args=[course.pk]) not in page

    test = client.get(reverse("learning:course-test", args=[course.pk]), follow=True)
    assert "필수 차시를 모두 이수하면 평가를 볼 수 있습니다." in test.content.decode()
    survey = client.get(
        reverse("learning:course-survey", args=[course.pk]), follow=True
    )
    assert "만족도 조사에 응답할 수 있습니다" in survey.content.decode()
    api = client.post(
        f"/api/v1/courses/{course.pk}/survey",
        {"score": 5},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert not Enrollment.objects.get(user=learner).test_attempts.exists()

    _watch_all(learner, course)
    page = client.get(course.url).content.decode()
    assert "필수 차시를 모두 이수하면 열립니다" not in page
    assert reverse("learning:course-test", args=[course.pk]) in page
    assert reverse("learning:course-survey", args=[course.pk]) in page


def test_a_failed_attempt_shows_its_score_but_not_the_answers_until_the_last(
    client, course, learner
):
    _watch_all(learner, course)

    first = _sit(client, course, right=1)
    assert "점수 <strong>33점</strong> · 합격 점수 60점 · 틀린 문항 2개" in first
    assert "남은 응시 1회" in first and "다시 응시하기" in first
    assert "정답: " not in first and "오답" not in first

    last = _sit(client, course, right=1)
    assert "응시 횟수를 모두 사용했습니다" in last and "다시 응시하기" not in last
    assert len(re.findall(r"정답: O", last)) == 2  # the two wrong ones, with the answer


def test_a_pass_shows_which_answers_were_wrong(client, course, learner):
    _watch_all(learner, course)

    result = _sit(client, course, right=2)

    assert "합격했습니다" in result and "점수 <strong>67점</strong>" in result
    assert "내 답: X · 정답: O" in result and result.count('class="tag">정답<') == 2
    assert "다시 응시하기" not in result


def test_another_learners_result_is_not_found(client, course, learner):
    _watch_all(learner, course)
    _sit(client, course, right=3)
    attempt = Enrollment.objects.get(user=learner).test_attempts.get()
    other = UserFactory()
    enrollment_create(user=other, course=course)
    client.force_login(other)
    url = reverse("learning:course-test-result", args=[course.pk, attempt.pk])
    assert client.get(url).status_code == 404
