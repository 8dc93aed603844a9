"""Changes to users and API tokens. Each function is one operation in one transaction."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import APIToken

from core import audit
from lms.accounts.models import Organization, Role, User
from lms.centers.models import Center

STAFF_GROUP_NAME = "센터 담당자"


def staff_group() -> Group:
    """The group that lets center staff into the Wagtail admin."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    group.permissions.add(access_admin)
    return group


def user_sync_role_groups(user: User) -> None:
    """Keep group membership in step with the role: center staff may enter the admin."""
    if user.role == Role.STAFF:
        user.groups.add(staff_group())
    else:
        user.groups.remove(*Group.objects.filter(name=STAFF_GROUP_NAME))


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    name: str = "",
    role: str = Role.LEARNER,
    center: Center | None = None,
    organization: Organization | None = None,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        email=email,
        name=name,
        role=role,
        center=center,
        organization=organization,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if email:
        # Accounts made here are made by the center (its console, the demo seed), which
        # vouches for the address; a citizen's own sign-up proves it by a mailed code.
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    user_sync_role_groups(user)
    return user


@transaction.atomic
def user_set_role(
    *,
    user: User,
    role: str,
    center: Center | None = None,
    organization: Organization | None = None,
    by: User | None = None,
) -> User:
    before = user.role
    user.role = role
    user.center = center if role == Role.STAFF else None
    user.organization = organization if role == Role.ORG_CONTACT else None
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "center", "organization"])
    user_sync_role_groups(user)
    audit.record(
        actor=by,
        action="accounts.user.set_role",
        subject=user,
        summary=f"{before} → {role}",
        data={"center": user.center_id, "organization": user.organization_id},
    )
    return user


@transaction.atomic
def api_token_create(*, user: User) -> tuple[APIToken, str]:
    """A new bearer token (Wagtail's APIToken: only a keyed digest is stored).

    The plaintext is returned once. It lives API_TOKEN_LIFETIME (core/auth.py); its
    owner lists and revokes it through the API, staff in the Wagtail admin.
    """
    label = f"API 로그인 {timezone.localtime():%Y-%m-%d %H:%M}"
    return APIToken.create_token(user=user, name=label)


def api_tokens_of(*, user: User):
    """The user's tokens still in force (not revoked, not expired), newest first."""
    from django.conf import settings

    return APIToken.objects.filter(
        user=user,
        revoked_at__isnull=True,
        created__gt=timezone.now() - settings.API_TOKEN_LIFETIME,
    ).order_by("-created", "-pk")


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when it names no token of theirs."""
    return bool(
        APIToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_tokens_revoke_all(*, user_id: int) -> int:
    """On logout and on a password change: no token outlives the credentials."""
    return APIToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
