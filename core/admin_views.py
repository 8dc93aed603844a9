"""The audit trail in the admin: every recorded change, newest first, with filters."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import access
from core.models import AuditRecord


def may_read_trail(user) -> bool:
    """Superusers and the metropolitan center's staff, who oversee every center."""
    return access.sees_every_center(user)


def audit_trail(request: HttpRequest) -> HttpResponse:
    if not may_read_trail(request.user):
        raise PermissionDenied
    records = AuditRecord.objects.all()
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    subject = request.GET.get("subject", "").strip()
    if action:
        records = records.filter(action__startswith=action)
    if actor:
        records = records.filter(actor_username=actor)
    if subject:
        kind, _, pk = subject.partition(":")
        records = records.filter(
            subject_type=kind, **({"subject_id": pk} if pk else {})
        )
    page = Paginator(records, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "core/admin/audit_trail.html",
        {"page": page, "action": action, "actor": actor, "subject": subject},
    )
