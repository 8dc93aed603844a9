"""Users and their roles, and organizations. API tokens are Wagtail's `APIToken`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access

# The roles are the access policy's (core/access.py); imported here for the models.
Role = access.Role


class Organization(models.Model):
    """A workplace, school or group that books outreach education or trains its people."""

    class Kind(models.TextChoices):
        WORKPLACE = "workplace", _("사업장")
        SCHOOL = "school", _("학교")
        COMMUNITY = "community", _("지역·시민단체")
        UNION = "union", _("노동조합")
        PUBLIC = "public", _("공공기관")
        OTHER = "other", _("기타")

    name = models.CharField(_("기관명"), max_length=120)
    kind = models.CharField(_("기관 유형"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        "centers.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("소재 자치구"),
    )
    address = models.CharField(_("주소"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("등록일"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("기관")
        verbose_name_plural = _("기관")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Anyone who signs in. The role decides what they see; superusers see everything."""

    name = models.CharField(_("이름"), max_length=50, blank=True)
    phone = models.CharField(_("휴대전화"), max_length=20, blank=True)
    role = models.CharField(
        _("역할"), max_length=20, choices=Role.choices, default=Role.LEARNER
    )
    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_members",
        verbose_name=_("소속 센터"),
        help_text=_("센터 담당자는 이 센터의 업무만 봅니다."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("소속 기관"),
    )

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")
        constraints = [
            models.CheckConstraint(
                name="staff_has_center",
                condition=~Q(role=Role.STAFF) | Q(center__isnull=False),
                violation_error_message=_("센터 담당자는 소속 센터가 있어야 합니다."),
            ),
            models.CheckConstraint(
                name="org_contact_has_organization",
                condition=~Q(role=Role.ORG_CONTACT) | Q(organization__isnull=False),
                violation_error_message=_("기관 담당자는 소속 기관이 있어야 합니다."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("이미 가입된 이메일입니다."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return self.name or f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_center_staff(self) -> bool:
        return access.is_center_staff(self)
