"""`record()`: every state-changing service that staff or the system perform calls it.

    audit.record(actor=staff, action="learning.certificate.revoke", subject=certificate,
                 summary="사유: 부정 수강", data={"reason": reason})

Call it inside the service's own transaction. `actor=None` means the system (a beat
task, the worker). The trail is shown in the admin (설정 → 감사 기록).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from core.models import AuditRecord


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditRecord:
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    meta = subject._meta
    return AuditRecord.objects.create(
        actor=actor if signed_in else None,
        actor_username=actor.get_username() if signed_in else "",
        action=action,
        subject_type=f"{meta.app_label}.{meta.model_name}",
        subject_id=str(subject.pk),
        summary=summary[:300],
        data=data,
    )


def trail_of(subject: models.Model):
    """The records about one object, newest first."""
    meta = subject._meta
    return AuditRecord.objects.filter(
        subject_type=f"{meta.app_label}.{meta.model_name}", subject_id=str(subject.pk)
    ).select_related("actor")
