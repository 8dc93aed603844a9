"""The audit trail: one row for every change of state that staff or the system make."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """Who changed what, when. Written by `core.audit.record` inside the service's
    transaction, so a change that rolls back leaves no record and a kept change always
    has one."""

    at = models.DateTimeField(_("일시"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    # Kept when the account is gone: an audit trail outlives the people in it.
    actor_username = models.CharField(_("처리자 계정"), max_length=150, blank=True)
    action = models.CharField(_("작업"), max_length=100, db_index=True)
    subject_type = models.CharField(_("대상 종류"), max_length=100)
    subject_id = models.CharField(_("대상 번호"), max_length=64)
    summary = models.CharField(_("내용"), max_length=300, blank=True)
    data = models.JSONField(_("세부 정보"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or '시스템'} {self.action}"
        )

    @property
    def actor_label(self) -> str:
        return self.actor_username or str(_("시스템"))
