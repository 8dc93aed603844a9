"""Writing the personal data access log. Call it wherever staff see unmasked data or export it."""

from __future__ import annotations

from django.http import HttpRequest

from lms.accounts.models import User
from lms.privacy.models import PersonalDataAccess


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def personal_data_access_record(
    *,
    actor: User,
    action: str,
    subject: str,
    subject_user: User | None = None,
    record_count: int = 1,
    reason: str = "",
    request: HttpRequest | None = None,
) -> PersonalDataAccess:
    """Append one row to the access log (who, when, from where, whose data, what action)."""
    return PersonalDataAccess.objects.create(
        actor=actor,
        actor_username=actor.get_username(),
        ip_address=_client_ip(request),
        action=action,
        subject=subject[:200],
        subject_user=subject_user,
        record_count=record_count,
        reason=reason[:300],
        path=(request.path[:300] if request is not None else ""),
    )
