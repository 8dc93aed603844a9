"""Answering a satisfaction survey."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from core.problems import Conflict, Problem
from lms.accounts.models import User
from lms.surveys.models import SCORE_MAX, SCORE_MIN, SurveyResponse


def device_key_for(token: str) -> str:
    """A keyed hash of an anonymous device token, so the raw token is never stored."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"survey-device:{token}".encode(), hashlib.sha256
    ).hexdigest()


def survey_response_submit(
    *,
    subject: models.Model,
    score: int,
    comment: str = "",
    user: User | None = None,
    device_token: str = "",
) -> SurveyResponse:
    """Record one answer; a second answer by the same person or device is a Conflict."""
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise Problem(_("만족도는 1점부터 5점 사이로 골라 주세요."))
    if user is None and not device_token:
        raise Problem(_("응답자를 확인할 수 없습니다."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=str(subject.pk),
                respondent=user,
                device_key=device_key_for(device_token) if device_token else "",
                score=score,
                comment=comment.strip()[:2000],
            )
    except IntegrityError as exc:
        raise Conflict(_("이미 이 설문에 응답하셨습니다. 감사합니다.")) from exc
