"""The organization portal: employees of an organization, invitations, statutory training
assignments (법정의무교육 배정) and the reminders sent about them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Employee(models.Model):
    """A person who trains through an organization (소속 직원). One organization per person.

    Kept apart from User.organization, which makes a user the organization's contact.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="employees",
        verbose_name=_("기관"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="employment",
        verbose_name=_("직원"),
    )
    invitation = models.ForeignKey(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(_("가입한 때"), default=timezone.now)

    class Meta:
        verbose_name = _("소속 직원")
        verbose_name_plural = _("소속 직원")
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.user_id}"


class Invitation(models.Model):
    """An invitation to join an organization.

    Without an email it is the organization's shared link (any number of people join by
    it); with an email (from a CSV upload) it is personal and is used once.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("기관"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    name = models.CharField(_("이름"), max_length=50, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    phone = models.CharField(_("휴대전화"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("보낸 때"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("수락한 때"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("취소한 때"), null=True, blank=True)

    class Meta:
        verbose_name = _("초대")
        verbose_name_plural = _("초대")
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=~Q(email=""),
                name="one_invitation_per_email",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(email="") & Q(revoked_at__isnull=True),
                name="one_open_link_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.email or f"link:{self.organization_id}"

    @property
    def is_link(self) -> bool:
        return not self.email


class TrainingAssignment(models.Model):
    """A statutory course the organization's employees must complete by a deadline."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="training_assignments",
        verbose_name=_("기관"),
    )
    course = models.ForeignKey(
        "cms.CoursePage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("강의"),
    )
    year = models.PositiveSmallIntegerField(_("교육 연도"))
    deadline = models.DateField(_("이수 기한"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("교육 배정")
        verbose_name_plural = _("교육 배정")
        ordering = ["-year", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "course", "year"],
                name="one_assignment_per_course_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.course_id} · {self.year}"


class TrainingReminder(models.Model):
    """One reminder email to one employee about one assignment on one (Seoul) day."""

    assignment = models.ForeignKey(
        TrainingAssignment, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "sent_on"],
                name="one_reminder_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.user_id} · {self.sent_on}"
