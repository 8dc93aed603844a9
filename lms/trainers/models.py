"""The trainer pool (강사단): profiles, qualifications, availability, refresher training, materials.

Whether a trainer may be matched is derived (qualification and refresher training on the
session's date), never a stored flag that could drift.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.time import WEEKDAYS


class Topic(models.Model):
    """A subject a request asks for and a trainer teaches (노동법 기초, 직장 내 괴롭힘 ...)."""

    code = models.SlugField(_("코드"), max_length=40, unique=True)
    name = models.CharField(_("주제"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("교육 주제")
        verbose_name_plural = _("교육 주제")

    def __str__(self) -> str:
        return self.name


class TrainerProfile(models.Model):
    class Grade(models.TextChoices):
        SENIOR = "senior", _("책임강사")
        REGULAR = "regular", _("전임강사")
        JUNIOR = "junior", _("신규강사")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trainer_profile",
        verbose_name=_("사용자"),
        # the admin form offers trainer accounts only, not every citizen's name
        limit_choices_to={"role": "trainer"},
    )
    grade = models.CharField(
        _("강사 등급"), max_length=10, choices=Grade.choices, default=Grade.REGULAR
    )
    home_district = models.ForeignKey(
        "centers.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("활동 거점 자치구"),
    )
    regions = models.ManyToManyField(
        "centers.Region", related_name="trainers", verbose_name=_("활동 권역")
    )
    topics = models.ManyToManyField(
        Topic, related_name="trainers", verbose_name=_("주제")
    )
    # ISO 639-1 codes besides Korean, e.g. ["en", "vi"].
    languages = models.JSONField(_("강의 가능 외국어"), default=list, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("배정 가중치"), default=1, help_text=_("클수록 더 많은 강의를 배정받습니다.")
    )
    monthly_cap = models.PositiveSmallIntegerField(_("월 최대 강의 수"), default=8)
    is_active = models.BooleanField(_("활동 중"), default=True)

    class Meta:
        verbose_name = _("강사")
        verbose_name_plural = _("강사")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1), name="trainer_weight_min_1"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Qualification(models.Model):
    class Kind(models.TextChoices):
        LABOR_ATTORNEY = "labor_attorney", _("공인노무사")
        LAWYER = "lawyer", _("변호사")
        SPECIALIST = "specialist", _("전문강사")

    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("자격"), max_length=20, choices=Kind.choices)
    registration_number = models.CharField(_("등록번호"), max_length=40)
    expires_on = models.DateField(_("만료일"), null=True, blank=True)

    class Meta:
        verbose_name = _("자격")
        verbose_name_plural = _("자격")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registration_number}"


class RefresherTraining(models.Model):
    """One 보수교육 attended; the yearly requirement is OUTREACH_REFRESHER_HOURS_PER_YEAR."""

    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="refresher_trainings"
    )
    title = models.CharField(_("교육명"), max_length=120)
    completed_on = models.DateField(_("이수일"))
    hours = models.PositiveSmallIntegerField(_("이수 시간"))

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("보수교육 이수")
        verbose_name_plural = _("보수교육 이수")

    def __str__(self) -> str:
        return self.title


class WeeklyAvailability(models.Model):
    """A recurring window in Asia/Seoul wall-clock time; end 00:00 means midnight."""

    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="weekly_availability"
    )
    weekday = models.PositiveSmallIntegerField(
        _("요일"), help_text=_("0=월요일 … 6=일요일")
    )
    start_time = models.TimeField(_("시작"))
    end_time = models.TimeField(_("종료"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("주간 가능 시간")
        verbose_name_plural = _("주간 가능 시간")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="availability_weekday"
            )
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start_time}-{self.end_time}"

    @property
    def label(self) -> str:
        """How a person reads it: "화요일 09:00~21:00", "토요일 종일", "금요일 18:00~24:00"."""
        day = f"{WEEKDAYS[self.weekday]}요일"
        midnight = dt.time(0)
        if self.start_time == midnight and self.end_time == midnight:
            return f"{day} {_('종일')}"
        end = "24:00" if self.end_time == midnight else self.end_time.strftime("%H:%M")
        return f"{day} {self.start_time.strftime('%H:%M')}~{end}"


class AvailabilityException(models.Model):
    """A dated exception: unavailable (whole day when no times) or an extra window."""

    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    date = models.DateField(_("날짜"))
    start_time = models.TimeField(_("시작"), null=True, blank=True)
    end_time = models.TimeField(_("종료"), null=True, blank=True)
    available = models.BooleanField(_("가능"), default=False)
    note = models.CharField(_("메모"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("가능 시간 예외")
        verbose_name_plural = _("가능 시간 예외")

    def __str__(self) -> str:
        return f"{self.date}"


class ConflictOfInterest(models.Model):
    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="conflicts"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organization_name = models.CharField(_("기관명"), max_length=120, blank=True)
    reason = models.CharField(_("사유"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("이해충돌 기관")
        verbose_name_plural = _("이해충돌 기관")

    def __str__(self) -> str:
        return self.organization_name or str(self.organization_id)


class TeachingMaterial(models.Model):
    trainer = models.ForeignKey(
        TrainerProfile, on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("자료명"), max_length=120)
    collection = models.ForeignKey(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("강의 자료")
        verbose_name_plural = _("강의 자료")

    def __str__(self) -> str:
        return self.title


class MaterialRevision(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("검토 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    material = models.ForeignKey(
        TeachingMaterial, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("판"))
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["material", "-number"]
        verbose_name = _("강의 자료 판")
        verbose_name_plural = _("강의 자료 판")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "number"], name="material_revision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"
