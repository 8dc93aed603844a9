"""Satisfaction surveys: one answer per person or device, scores 1-5, averages to 2 decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.problems import Conflict, Problem
from lms.centers.models import District
from lms.surveys.models import SurveyResponse
from lms.surveys.selectors import survey_answered, survey_summary_for
from lms.surveys.services import survey_response_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    # Any model instance can be a survey's subject; a district stands in here.
    return District.objects.order_by("pk").first()


def test_average_is_rounded_half_up_to_two_decimals(subject):
    for score in (5, 4, 4):  # 13 / 3 = 4.333…
        survey_response_submit(subject=subject, score=score, user=UserFactory())
    survey_response_submit(subject=subject, score=5, device_token="device-a")

    summary = survey_summary_for(subject=subject)

    assert summary == {"count": 4, "average": Decimal("4.50")}


def test_a_person_answers_once(subject, learner):
    survey_response_submit(subject=subject, score=3, user=learner, comment=" 좋아요 ")
    with pytest.raises(Conflict):
        survey_response_submit(subject=subject, score=5, user=learner)

    assert SurveyResponse.objects.get().comment == "좋아요"
    assert survey_answered(subject=subject, user=learner)


def test_a_device_answers_once_and_its_token_is_not_stored(subject):
    survey_response_submit(subject=subject, score=4, device_token="device-token-1")
    with pytest.raises(Conflict):
        survey_response_submit(subject=subject, score=1, device_token="device-token-1")
    survey_response_submit(subject=subject, score=2, device_token="device-token-2")

    stored = list(SurveyResponse.objects.values_list("device_key", flat=True))
    assert len(stored) == 2 and "device-token-1" not in stored
    assert survey_answered(subject=subject, device_token="device-token-2")
    assert not survey_answered(subject=subject, device_token="device-token-3")


@pytest.mark.parametrize("score", [0, 6])
def test_scores_outside_one_to_five_are_refused(subject, learner, score):
    with pytest.raises(Problem):
        survey_response_submit(subject=subject, score=score, user=learner)
    assert not SurveyResponse.objects.exists()


def test_answers_of_one_subject_do_not_count_for_another(subject, learner):
    other = District.objects.exclude(pk=subject.pk).first()
    survey_response_submit(subject=other, score=1, user=learner)

    assert survey_summary_for(subject=subject) == {"count": 0, "average": None}
