"""Who may see and change what: the one access policy, by role and center scope.

In the manner of Wagtail's permission policies, every check the product makes about a
person asks here: selectors filter their querysets through `scope_to_centers`, services
assert with `require_operator` or `may_act_for_center`, and screens decide what to
show with the predicates. The rules:

- a superuser may do everything;
- center staff (센터 담당자) operate the center they belong to: its outreach queue, its
  trainers, its reports; the metropolitan center (광역, 서울노동권익센터) oversees every
  center; regional and district centers see their own only;
- trainers, organization contacts and learners see their own records (each app's
  selectors know what "own" is), and another person's object answers 404, not 403.

A user is read by duck typing (`is_superuser`, `role`, `center_id`, `center.kind`,
`organization_id`), so the ground floor needs no import of the accounts app; `Role`
and `CenterKind` live here and the models take their choices from them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.problems import PermissionDenied, Unauthenticated


class Role(models.TextChoices):
    """`User.role`."""

    LEARNER = "learner", _("학습자")
    ORG_CONTACT = "org_contact", _("기관 담당자")
    TRAINER = "trainer", _("강사")
    STAFF = "staff", _("센터 담당자")


class CenterKind(models.TextChoices):
    """`Center.kind`."""

    METROPOLITAN = "metropolitan", _("광역센터")
    REGIONAL = "regional", _("권역센터")
    DISTRICT = "district", _("자치구센터")


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_superuser(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_superuser) and user.is_active


def is_center_staff(user: Any) -> bool:
    """Staff of a center: the role, and the center it is scoped to."""
    return (
        _signed_in(user)
        and user.is_active
        and user.role == Role.STAFF
        and user.center_id is not None
    )


def is_operator(user: Any) -> bool:
    """May open the staff screens (the admin's queues, reports, videos): 운영자."""
    return is_superuser(user) or is_center_staff(user)


def is_trainer(user: Any) -> bool:
    return _signed_in(user) and user.is_active and user.role == Role.TRAINER


def is_org_contact(user: Any) -> bool:
    return (
        _signed_in(user)
        and user.is_active
        and user.role == Role.ORG_CONTACT
        and user.organization_id is not None
    )


def sees_every_center(user: Any) -> bool:
    """Superusers and the metropolitan center's staff see the work of every center."""
    return is_superuser(user) or (
        is_center_staff(user) and user.center.kind == CenterKind.METROPOLITAN
    )


def may_act_for_center(user: Any, center_id: int | None) -> bool:
    """May change (or see) what belongs to that center."""
    if sees_every_center(user):
        return True
    return (
        is_center_staff(user) and center_id is not None and user.center_id == center_id
    )


def scope_to_centers(
    queryset: QuerySet, user: Any, *, field: str = "center"
) -> QuerySet:
    """The rows of `queryset` that `user` operates on; `field` leads to their center."""
    if sees_every_center(user):
        return queryset
    if is_center_staff(user):
        return queryset.filter(**{field: user.center_id})
    return queryset.none()


def center_serves_district(center: Any, district: str) -> Q:
    """The rows whose district (the lookup path `district`, to a District) `center`
    serves: a district center its own district, a regional center its region's
    districts, the metropolitan center (or no center: the whole city) every district."""
    if center is None or center.kind == CenterKind.METROPOLITAN:
        return Q()
    if center.kind == CenterKind.REGIONAL:
        return Q(**{f"{district}__region": center.region_id})
    return Q(**{district: center.district_id})


def scope_to_served_districts(
    queryset: QuerySet, user: Any, *, district: str, own: Q | None = None
) -> QuerySet:
    """The rows of `queryset` that `user` may see by geography: every row for those who
    see every center; for center staff the rows whose district their center serves; for
    anyone signed in, also the rows that `own` says are theirs. None for the rest."""
    if not _signed_in(user) or not user.is_active:
        return queryset.none()
    if sees_every_center(user):
        return queryset
    allowed = own if own is not None else Q(pk__in=[])
    if is_center_staff(user):
        allowed |= center_serves_district(user.center, district)
    return queryset.filter(allowed)


def require_operator(user: Any) -> None:
    """Services call this before staff work: 401 when signed out, 403 for the rest."""
    if not _signed_in(user):
        raise Unauthenticated()
    if not is_operator(user):
        raise PermissionDenied()
