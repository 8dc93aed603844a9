"""The admin screen of the chains: their heads, and a verification on demand that reports
the first broken link or 이상 없음."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import access
from lms.records import services


def may_verify(user) -> bool:
    """The training records are the Academy's, run by the metropolitan center: its staff
    and superusers, who oversee every center (as for the audit trail)."""
    return access.sees_every_center(user)


def _number(value: str) -> tuple[int | None, str]:
    value = value.strip()
    if not value:
        return None, ""
    if not value.isdigit():
        return None, "숫자로 적어 주세요."
    return int(value), ""


def records_chains(request: HttpRequest) -> HttpResponse:
    if not may_verify(request.user):
        raise PermissionDenied
    organization, organization_error = _number(request.GET.get("organization", ""))
    year, year_error = _number(request.GET.get("year", ""))
    personal = request.GET.get("personal") == "1"
    filters = {"organization_id": organization, "year": year, "personal": personal}
    errors = {"organization": organization_error, "year": year_error}
    outcome = None
    if request.GET.get("verify") == "1" and not any(errors.values()):
        checked = 0
        broken = None
        for _chain, found in services.verify(**filters):
            checked += 1
            if found is not None:
                broken = found
                break
        outcome = {"checked": checked, "broken": broken}
    page = Paginator(services.chains(**filters), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "records/admin/chains.html",
        {
            "page": page,
            "outcome": outcome,
            "errors": errors,
            "organization": request.GET.get("organization", ""),
            "year": request.GET.get("year", ""),
            "personal": personal,
        },
    )
