"""Reading survey answers: whether someone answered, and the summary of a subject."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Avg, Count

from lms.accounts.models import User
from lms.surveys.models import SurveyResponse
from lms.surveys.services import device_key_for


def survey_responses_for(*, subject: models.Model) -> models.QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
    )


def survey_answered(
    *, subject: models.Model, user: User | None = None, device_token: str = ""
) -> bool:
    responses = survey_responses_for(subject=subject)
    if user is not None and user.is_authenticated:
        return responses.filter(respondent=user).exists()
    if device_token:
        return responses.filter(device_key=device_key_for(device_token)).exists()
    return False


def survey_summary_for(*, subject: models.Model) -> dict:
    """Count and average score (two decimals, half up) of a subject's answers."""
    row = survey_responses_for(subject=subject).aggregate(
        count=Count("id"), average=Avg("score")
    )
    average = row["average"]
    return {
        "count": row["count"],
        "average": (
            None
            if average is None
            else Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        ),
    }
