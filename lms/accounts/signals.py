"""Credentials end together: a logout or a new password revokes the user's API tokens."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import pre_save
from django.dispatch import receiver

from lms.accounts.models import User
from lms.accounts.services import api_tokens_revoke_all


@receiver(user_logged_out, dispatch_uid="accounts-revoke-tokens-on-logout")
def revoke_tokens_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None and user.pk is not None:
        api_tokens_revoke_all(user_id=user.pk)


@receiver(pre_save, sender=User, dispatch_uid="accounts-revoke-tokens-on-password")
def revoke_tokens_on_password_change(
    sender, instance: User, update_fields=None, **kwargs
):
    """Whatever changed the password (sign-in pages, admin, reset, shell)."""
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True)
    previous = stored.first()
    if previous is not None and previous != instance.password:
        api_tokens_revoke_all(user_id=instance.pk)
