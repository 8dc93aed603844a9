"""The access log of personal data: who looked at or exported whose data, when and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One view, edit, export or deletion of personal data by staff. Rows are never changed."""

    class Action(models.TextChoices):
        VIEW = "view", _("열람")
        EDIT = "edit", _("수정")
        EXPORT = "export", _("내보내기")
        DELETE = "delete", _("삭제")

    at = models.DateTimeField(_("일시"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    # Snapshot: the log still names the actor after the account is gone.
    actor_username = models.CharField(_("처리자 아이디"), max_length=150)
    ip_address = models.GenericIPAddressField(_("접속 주소"), null=True, blank=True)
    action = models.CharField(_("행위"), max_length=10, choices=Action.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("정보주체"),
    )
    subject = models.CharField(
        _("대상"), max_length=200, help_text=_("무엇의 누구 정보인지")
    )
    record_count = models.PositiveIntegerField(_("건수"), default=1)
    reason = models.CharField(_("사유"), max_length=300, blank=True)
    path = models.CharField(_("경로"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("개인정보 접근 기록")
        verbose_name_plural = _("개인정보 접근 기록")
        indexes = [models.Index(fields=["subject_user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.subject}"


class ConsentVersion(models.Model):
    """One published wording of a consent (PIPA art. 15, 22): never edited, only superseded."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("회원가입")

    purpose_kind = models.CharField(
        _("동의 구분"), max_length=30, choices=Purpose.choices
    )
    version = models.PositiveIntegerField(_("버전"))
    purpose = models.TextField(_("수집·이용 목적"))
    items = models.TextField(_("수집 항목"))
    retention = models.TextField(_("보유·이용 기간"))
    right_to_refuse = models.TextField(_("동의 거부 권리 및 불이익"))
    effective_at = models.DateTimeField(_("시행일"), default=timezone.now)

    class Meta:
        ordering = ["purpose_kind", "-version"]
        verbose_name = _("동의서 버전")
        verbose_name_plural = _("동의서 버전")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose_kind", "version"], name="consent_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_kind_display()} v{self.version}"


class ConsentRecord(models.Model):
    """That one person agreed to one version of a consent, when and from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("정보주체"),
    )
    version = models.ForeignKey(
        ConsentVersion,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("동의서 버전"),
    )
    agreed_at = models.DateTimeField(_("동의 일시"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("접속 주소"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("철회 일시"), null=True, blank=True)

    class Meta:
        ordering = ["-agreed_at"]
        verbose_name = _("동의 기록")
        verbose_name_plural = _("동의 기록")

    def __str__(self) -> str:
        return f"{self.user_id} {self.version}"


class AccessLogReview(models.Model):
    """A staff member's acknowledgement that they reviewed one month of the access log
    (개인정보의 안전성 확보조치 기준: 접속기록 월 1회 이상 점검). Also in the audit trail."""

    month = models.DateField(_("점검 월"), help_text=_("그 달의 1일"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("점검자"),
    )
    acknowledged_at = models.DateTimeField(_("확인한 때"), default=timezone.now)
    unusual_count = models.PositiveIntegerField(_("이상 건수"), default=0)
    note = models.CharField(_("의견"), max_length=500, blank=True)

    class Meta:
        ordering = ["-month", "acknowledged_at"]
        verbose_name = _("접속기록 점검")
        verbose_name_plural = _("접속기록 점검")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "reviewer"], name="one_review_per_month_and_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.reviewer_id}"
