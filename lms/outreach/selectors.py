"""Reading outreach: the staff queue, a request, the payout workbook."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook

from config.problems import Problem
from lms.accounts.models import User
from lms.outreach.models import OutreachRequest, OutreachSession, RequestState
from lms.privacy.masking import mask_name
from lms.trainers.selectors import SEOUL


def requests_for_staff(*, user: User, state: str = "") -> QuerySet[OutreachRequest]:
    """The queue of the staff member's center (the metropolitan center sees every queue)."""
    qs = OutreachRequest.objects.select_related("district", "center").order_by(
        "created_at"
    )
    if not user.is_superuser and user.center.kind != "metropolitan":
        qs = qs.filter(center=user.center_id)
    if state:
        qs = qs.filter(state=state)
    else:
        qs = qs.exclude(
            state__in=[
                RequestState.CLOSED,
                RequestState.REJECTED,
                RequestState.WITHDRAWN,
                RequestState.CANCELLED,
                RequestState.UNFILLED,
            ]
        )
    return qs


def request_for_staff(*, user: User, pk: int) -> OutreachRequest:
    outreach = (
        requests_for_staff(user=user, state="").model.objects.filter(pk=pk).first()
    )
    from lms.outreach.services import can_manage

    if outreach is None or not can_manage(actor=user, request=outreach):
        raise Http404
    return outreach


def sessions_for_staff(*, user: User) -> QuerySet[OutreachSession]:
    qs = OutreachSession.objects.select_related("request", "trainer__user")
    if not user.is_superuser and user.center.kind != "metropolitan":
        qs = qs.filter(request__center=user.center_id)
    return qs


PAYOUT_HEADER = [
    "회차",
    "교육일",
    "기관",
    "강사",
    "등급",
    "시간",
    "참석(확인)",
    "강사료(원)",
]


def payout_workbook(*, user: User, year: int, month: int) -> tuple[bytes, int]:
    """XLSX of the month's delivered sessions with masked trainer names. Returns (bytes, rows)."""
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Problem(_("연도와 월을 확인해 주세요."))
    first = dt.datetime(year, month, 1, tzinfo=SEOUL)
    following = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SEOUL)
    sessions = (
        sessions_for_staff(user=user)
        .filter(starts_at__gte=first, starts_at__lt=following)
        .exclude(attendance_reported_at=None)
        .order_by("starts_at")
    )
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}-{month:02d}"
    sheet.append(PAYOUT_HEADER)
    count = 0
    for s in sessions:
        hours = (s.ends_at - s.starts_at).total_seconds() / 3600
        sheet.append(
            [
                s.pk,
                s.starts_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M"),
                s.request.organization_name,
                mask_name(s.trainer.user.get_full_name()),
                s.trainer.get_grade_display(),
                round(hours, 2),
                s.attendees_confirmed,
                s.fee_amount,
            ]
        )
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count
