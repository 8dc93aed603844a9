"""The admin screen of the monthly access-log review (설정 → 접속기록 월간 점검)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.problems import Conflict
from lms.privacy import review


def may_review(user) -> bool:
    """The Academy's privacy officer works at the metropolitan center; superusers too."""
    return access.sees_every_center(user)


def _previous_month() -> dt.date:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _parse_month(value: str) -> tuple[dt.date | None, str]:
    value = (value or "").strip()
    if not value:
        return _previous_month(), ""
    try:
        return dt.datetime.strptime(value, "%Y-%m").date(), ""
    except ValueError:
        return None, _("점검 월은 2026-11처럼 연-월로 적어 주세요.")


def access_review(request: HttpRequest) -> HttpResponse:
    if not may_review(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    raw_month = source.get("month", "")
    month, month_error = _parse_month(raw_month)
    note = request.POST.get("note", "")
    ack_error = ""
    if request.method == "POST" and month is not None:
        try:
            review.review_acknowledge(month=month, reviewer=request.user, note=note)
        except Conflict as exc:
            ack_error = str(exc)
        else:
            messages.success(
                request,
                _("%(month)s 점검을 확인했습니다.") % {"month": f"{month:%Y-%m}"},
            )
            return redirect(f"{reverse('privacy_access_review')}?month={month:%Y-%m}")
    report = review.month_review(month=month) if month else None
    status = 200 if not (month_error or ack_error) else 400
    return render(
        request,
        "privacy/admin/access_review.html",
        {
            "report": report,
            "month_value": f"{month:%Y-%m}" if month else raw_month,
            "month_error": month_error,
            "ack_error": ack_error,
            "note": note,
            "already": report is not None
            and any(a.reviewer_id == request.user.pk for a in report.acknowledgements),
        },
        status=status,
    )
