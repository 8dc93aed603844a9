"""Satisfaction surveys (만족도 조사): a 5-point score and a comment about any subject.

One model serves courses and outreach sessions alike; the subject is a generic relation so
neither app imports the other. A learner answers once per subject; an anonymous attendee
once per device.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCORE_MIN = 1
SCORE_MAX = 5
COMMENT_MAX_LENGTH = 2000


class SurveyResponse(models.Model):
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("대상 종류")
    )
    subject_id = models.CharField(_("대상 번호"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("응답자"),
    )
    # A keyed hash of the anonymous device token, never the token itself.
    device_key = models.CharField(_("기기 식별값"), max_length=64, blank=True)
    score = models.PositiveSmallIntegerField(_("만족도(5점)"))
    comment = models.TextField(_("의견"), blank=True, max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("응답한 때"), default=timezone.now)

    class Meta:
        verbose_name = _("만족도 응답")
        verbose_name_plural = _("만족도 응답")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="survey_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(respondent__isnull=False) | ~Q(device_key=""),
                name="survey_has_respondent_or_device",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "respondent"],
                condition=Q(respondent__isnull=False),
                name="survey_once_per_respondent",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "device_key"],
                condition=~Q(device_key=""),
                name="survey_once_per_device",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type_id}:{self.subject_id} {self.score}"
