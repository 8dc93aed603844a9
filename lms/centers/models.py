"""Regions (권역), Seoul's districts (자치구) and the centers that serve them.

The district-to-region map is data staff can edit, not code.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import access


class Region(models.Model):
    """One of the four regions (권역) of Seoul: 도심권, 동북권, 동남권, 서남권."""

    name = models.CharField(_("권역명"), max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("정렬 순서"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("권역")
        verbose_name_plural = _("권역")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A Seoul district (자치구), mapped to its region."""

    name = models.CharField(_("자치구명"), max_length=20, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("권역"),
    )

    class Meta:
        ordering = ["region__sort_order", "name"]
        verbose_name = _("자치구")
        verbose_name_plural = _("자치구")

    def __str__(self) -> str:
        return self.name


class Center(models.Model):
    """A center that runs education: the metropolitan center, a regional or a district one."""

    Kind = access.CenterKind

    name = models.CharField(_("센터명"), max_length=80, unique=True)
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centers",
        verbose_name=_("권역"),
        help_text=_("권역센터만 지정합니다."),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centers",
        verbose_name=_("자치구"),
        help_text=_("자치구센터만 지정합니다."),
    )
    email = models.EmailField(_("대표 이메일"), blank=True)
    phone = models.CharField(_("대표 전화"), max_length=20, blank=True)
    is_active = models.BooleanField(_("운영 중"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("센터")
        verbose_name_plural = _("센터")
        constraints = [
            models.CheckConstraint(
                name="center_scope_matches_kind",
                condition=(
                    Q(kind="metropolitan", region__isnull=True, district__isnull=True)
                    | Q(kind="regional", region__isnull=False, district__isnull=True)
                    | Q(kind="district", region__isnull=True, district__isnull=False)
                ),
                violation_error_message=_(
                    "권역센터는 권역만, 자치구센터는 자치구만 지정하고 광역센터는 둘 다 비워 둡니다."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="metropolitan"),
                name="one_metropolitan_center",
                violation_error_message=_("광역센터는 하나만 둘 수 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind="regional"),
                name="one_regional_center_per_region",
                violation_error_message=_("권역마다 권역센터는 하나입니다."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
