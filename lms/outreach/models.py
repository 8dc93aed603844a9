"""Outreach education (찾아가는 노동교육): requests, offers to trainers, sessions and their reports.

A trainer's time is held by offers that are `offered` or `accepted`; on PostgreSQL an exclusion
constraint (migration 0002) makes two overlapping holds of one trainer impossible.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_PARTICIPANTS = 10
# The most people one outreach session is for, and the most attendance can say came.
MAX_ATTENDEES = 1000
# Free text: the same limits on the pages' forms and in the API.
TEXT_MAX_LENGTH = 2000
REPORT_MAX_LENGTH = 10000


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("접수")
    UNDER_REVIEW = "under_review", _("검토 중")
    NEEDS_INFO = "needs_info", _("보완 요청")
    APPROVED = "approved", _("승인")
    MATCHING = "matching", _("강사 섭외 중")
    ASSIGNED = "assigned", _("강사 배정")
    CONFIRMED = "confirmed", _("확정")
    DELIVERED = "delivered", _("교육 실시")
    REPORTED = "reported", _("결과 보고")
    CLOSED = "closed", _("종료")
    REJECTED = "rejected", _("반려")
    WITHDRAWN = "withdrawn", _("신청 취소")
    CANCELLED = "cancelled", _("교육 취소")
    UNFILLED = "unfilled", _("강사 미배정")


class OfferState(models.TextChoices):
    OFFERED = "offered", _("제안")
    ACCEPTED = "accepted", _("수락")
    DECLINED = "declined", _("거절")
    EXPIRED = "expired", _("기한 만료")
    WITHDRAWN = "withdrawn", _("철회")


HOLDING_OFFER_STATES = (OfferState.OFFERED, OfferState.ACCEPTED)


class Audience(models.TextChoices):
    WORKERS = "workers", _("노동자")
    EMPLOYERS = "employers", _("사업주")
    YOUTH = "youth", _("청소년·청년")
    CITIZENS = "citizens", _("시민")
    COUNSELORS = "counselors", _("상담자")


class Accessibility(models.TextChoices):
    SIGN_LANGUAGE = "sign_language", _("수어 통역")
    STEP_FREE = "step_free", _("휠체어 접근(계단 없는 장소)")
    EASY_READ = "easy_read", _("쉬운 글 자료")
    FOREIGN_LANGUAGE = "foreign_language", _("외국어 청중")


class OutreachRequest(models.Model):
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(
        max_length=80, unique=True, null=True, blank=True
    )
    state = models.CharField(
        _("상태"),
        max_length=20,
        choices=RequestState.choices,
        default=RequestState.SUBMITTED,
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_requests",
    )
    organization_name = models.CharField(_("기관명"), max_length=120)
    organization_kind = models.CharField(_("기관 유형"), max_length=20)
    contact_name = models.CharField(_("담당자 이름"), max_length=50)
    contact_phone = models.CharField(_("담당자 연락처"), max_length=20)
    contact_email = models.EmailField(_("담당자 이메일"))
    participants = models.PositiveIntegerField(_("참여 인원"))
    address = models.CharField(_("교육 장소 주소"), max_length=200)
    district = models.ForeignKey(
        "centers.District", on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="outreach_requests"
    )
    topics = models.ManyToManyField("trainers.Topic", related_name="+")
    audience = models.CharField(_("대상"), max_length=20, choices=Audience.choices)
    accessibility = models.JSONField(_("접근성 요구"), default=list, blank=True)
    language = models.CharField(_("청중 언어"), max_length=8, blank=True)
    notes = models.TextField(_("기타 요청 사항"), blank=True, max_length=2000)
    # Chosen from the preferred slots when staff approve.
    starts_at = models.DateTimeField(_("교육 시작"), null=True, blank=True)
    ends_at = models.DateTimeField(_("교육 종료"), null=True, blank=True)
    staff_question = models.TextField(_("보완 요청 내용"), blank=True)
    applicant_answer = models.TextField(_("신청자 답변"), blank=True)
    decision_reason = models.TextField(_("결정 사유"), blank=True)
    created_at = models.DateTimeField(_("신청일"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("교육 신청")
        verbose_name_plural = _("교육 신청")
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=MIN_PARTICIPANTS),
                name="outreach_min_participants",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="outreach_request_time_order",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.organization_name}"


class PreferredSlot(models.Model):
    request = models.ForeignKey(
        OutreachRequest, on_delete=models.CASCADE, related_name="preferred_slots"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_time_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Offer(models.Model):
    request = models.ForeignKey(
        OutreachRequest, on_delete=models.CASCADE, related_name="offers"
    )
    trainer = models.ForeignKey(
        "trainers.TrainerProfile", on_delete=models.PROTECT, related_name="offers"
    )
    state = models.CharField(
        _("상태"), max_length=10, choices=OfferState.choices, default=OfferState.OFFERED
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The session widened by half the travel buffer on each side: two holds that do
    # not overlap leave at least the whole buffer between sessions.
    blocked_from = models.DateTimeField()
    blocked_until = models.DateTimeField()
    expires_at = models.DateTimeField(_("응답 기한"))
    rank_reason = models.CharField(_("추천 사유"), max_length=300, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("강의 제안")
        verbose_name_plural = _("강의 제안")
        indexes = [models.Index(fields=["trainer", "state", "blocked_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(blocked_until__gt=models.F("blocked_from")),
                name="offer_block_order",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state__in=["offered", "accepted"]),
                name="one_live_offer_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} → #{self.request_id}"


class OutreachSession(models.Model):
    """The delivered education, created when a trainer accepts."""

    request = models.OneToOneField(
        OutreachRequest, on_delete=models.CASCADE, related_name="session"
    )
    offer = models.OneToOneField(
        Offer, on_delete=models.PROTECT, related_name="session"
    )
    trainer = models.ForeignKey(
        "trainers.TrainerProfile", on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    survey_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attendees_reported = models.PositiveIntegerField(null=True, blank=True)
    attendance_reported_at = models.DateTimeField(null=True, blank=True)
    attendees_confirmed = models.PositiveIntegerField(null=True, blank=True)
    attendance_confirmed_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(_("강의 보고서"), blank=True)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    material_revision = models.ForeignKey(
        "trainers.MaterialRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("사용한 강의 자료"),
    )
    fee_amount = models.PositiveIntegerField(_("강사료(원)"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("교육 회차")
        verbose_name_plural = _("교육 회차")

    def __str__(self) -> str:
        return f"#{self.request_id} {self.starts_at:%Y-%m-%d}"


class OutreachEvent(models.Model):
    """The log of every state change of a request or an offer."""

    request = models.ForeignKey(
        OutreachRequest, on_delete=models.CASCADE, related_name="events"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"
