"""Reading outreach: the staff queue, a request, the payout workbook."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import access
from core.masking import mask_name
from core.problems import Problem
from core.spreadsheets import xlsx_append
from core.time import SEOUL
from lms.accounts.models import User
from lms.centers.models import Center
from lms.outreach import states
from lms.outreach.fees import session_fee
from lms.outreach.models import (
    Offer,
    OfferState,
    OutreachRequest,
    OutreachSession,
    RequestState,
)
from lms.trainers.models import MaterialRevision
from lms.trainers.selectors import material_revisions_visible_to


def requests_for_staff(
    *,
    user: User,
    state: str = "",
    center_id: int | None = None,
    district_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[OutreachRequest]:
    """The queue of the staff member's center (the metropolitan center sees every queue),
    newest first, narrowed by the filters given. Dates are Seoul days of the application."""
    qs = OutreachRequest.objects.select_related("district", "center").order_by(
        "-created_at", "-pk"
    )
    qs = access.scope_to_centers(qs, user)
    if state:
        qs = qs.filter(state=state)
    else:
        qs = qs.filter(state__in=states.OPEN)
    if center_id:
        qs = qs.filter(center_id=center_id)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if date_from:
        qs = qs.filter(
            created_at__gte=dt.datetime.combine(date_from, dt.time(), tzinfo=SEOUL)
        )
    if date_to:
        following = date_to + dt.timedelta(days=1)
        qs = qs.filter(
            created_at__lt=dt.datetime.combine(following, dt.time(), tzinfo=SEOUL)
        )
    q = q.strip()
    if q:
        text = (
            Q(organization_name__icontains=q)
            | Q(contact_name__icontains=q)
            | Q(contact_email__icontains=q)
            | Q(address__icontains=q)
        )
        number = q.lstrip("#")
        if number.isdigit() and len(number) < 10:
            text |= Q(pk=int(number))
        qs = qs.filter(text)
    return qs


def centers_for_staff(*, user: User) -> QuerySet[Center]:
    """The centers whose queues the staff member sees (the queue's center filter)."""
    return access.scope_to_centers(
        Center.objects.order_by("kind", "name"), user, field="pk"
    )


def request_for_staff(*, user: User, pk: int) -> OutreachRequest:
    """One request of the staff member's centers, whatever its state; else 404."""
    outreach = (
        access.scope_to_centers(
            OutreachRequest.objects.select_related("district", "center"), user
        )
        .filter(pk=pk)
        .first()
    )
    if outreach is None:
        raise Http404
    return outreach


def sessions_for_staff(*, user: User) -> QuerySet[OutreachSession]:
    qs = OutreachSession.objects.select_related("request", "trainer__user")
    return access.scope_to_centers(qs, user, field="request__center")


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


def payout_workbook(
    *, user: User, year: int, month: int, full_names: bool = False
) -> tuple[bytes, int]:
    """XLSX of the month's delivered sessions, trainer names masked unless `full_names`
    (the caller has logged the stated reason). Returns (bytes, rows)."""
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
    xlsx_append(sheet, PAYOUT_HEADER)
    count = 0
    for s in sessions:
        hours = (s.ends_at - s.starts_at).total_seconds() / 3600
        name = s.trainer.user.get_full_name()
        xlsx_append(
            sheet,
            [
                s.pk,
                s.starts_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M"),
                s.request.organization_name,
                name if full_names else mask_name(name),
                s.trainer.get_grade_display(),
                round(hours, 2),
                s.attendees_confirmed,
                s.fee_amount,
            ],
        )
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def offers_waiting_for(*, trainer) -> list[dict]:
    """The trainer's unanswered offers, soonest first, with what each one would pay."""
    offers = (
        Offer.objects.filter(trainer=trainer, state=OfferState.OFFERED)
        .select_related("request__district", "trainer__home_district")
        .prefetch_related("request__topics")
        .order_by("starts_at")
    )
    return [
        {
            "offer": offer,
            "topics": [t.name for t in offer.request.topics.all()],
            "fee": session_fee(
                trainer=offer.trainer,
                district=offer.request.district,
                starts_at=offer.starts_at,
                ends_at=offer.ends_at,
            ),
        }
        for offer in offers
    ]


def offer_waiting_for(*, trainer, offer_id: int) -> dict:
    """One unanswered offer of the trainer as `offers_waiting_for` gives it; else 404."""
    for row in offers_waiting_for(trainer=trainer):
        if row["offer"].pk == offer_id:
            return row
    raise Http404


def sessions_of_trainer(*, trainer, now: dt.datetime) -> tuple[list, list]:
    """(upcoming soonest first, past latest first) sessions of the trainer."""
    sessions = list(
        OutreachSession.objects.filter(trainer=trainer)
        .select_related("request__district", "material_revision__material")
        .order_by("starts_at")
    )
    upcoming = [s for s in sessions if s.starts_at > now]
    past = [s for s in reversed(sessions) if s.starts_at <= now]
    return upcoming, past


#: Offers whose answer is due within this many hours count as nearing their deadline.
OFFER_DUE_SOON_HOURS = 24


def staff_today(*, user: User, now: dt.datetime) -> dict:
    """What needs the staff member's action today, in their centers: new requests to
    review, offers left unanswered close to their deadline, delivered sessions whose
    report is in (to close), and trainers' materials waiting for review."""
    requests = access.scope_to_centers(OutreachRequest.objects.all(), user)
    offers = access.scope_to_centers(
        Offer.objects.select_related("request", "trainer__user"),
        user,
        field="request__center",
    )
    due = list(
        offers.filter(
            state=OfferState.OFFERED,
            expires_at__gt=now,
            expires_at__lte=now + dt.timedelta(hours=OFFER_DUE_SOON_HOURS),
        ).order_by("expires_at")[:10]
    )
    return {
        "new_requests": requests.filter(state=RequestState.SUBMITTED).count(),
        "answered_info": requests.filter(
            state=RequestState.UNDER_REVIEW, applicant_answer__gt=""
        ).count(),
        "offers_due": due,
        "reports_to_close": requests.filter(state=RequestState.REPORTED).count(),
        "materials_pending": material_revisions_visible_to(user=user)
        .filter(status=MaterialRevision.Status.PENDING)
        .count(),
    }
