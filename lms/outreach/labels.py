"""Korean words for every stored code of outreach: what staff, trainers and organizations read
instead of `community`, `step_free` or `submitted → under_review`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from core.time import SEOUL, WEEKDAYS
from lms.accounts.models import Organization
from lms.outreach.models import Accessibility, OfferState, RequestState


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        # An old or unknown code: say so rather than show it bare.
        return _("알 수 없음")


def organization_kind_label(code: str) -> str:
    return _label(Organization.Kind, code) if code else "-"


def accessibility_labels(codes: list[str] | None) -> list[str]:
    return [_label(Accessibility, code) for code in codes or []]


def request_state_label(code: str) -> str:
    return _label(RequestState, code)


def offer_state_label(code: str) -> str:
    return _label(OfferState, code)


def event_summary(event) -> str:
    """One line of a request's history: e.g. '제안 → 거절' rather than the stored codes."""
    label = offer_state_label if event.offer_id else request_state_label
    if not event.from_state:
        return _("제안 보냄") if event.offer_id else _("신청 접수")
    return f"{label(event.from_state)} → {label(event.to_state)}"


def won(amount: int | None) -> str:
    """400000 → '400,000원'; nothing yet → '-'."""
    if amount is None or amount == "":
        return "-"
    return f"{int(amount):,}원"


def korean_datetime(moment: dt.datetime | None) -> str:
    """'2026년 12월 4일 (금) 14:00' in Seoul time."""
    if moment is None:
        return "-"
    local = moment.astimezone(SEOUL)
    return (
        f"{local.year}년 {local.month}월 {local.day}일 "
        f"({WEEKDAYS[local.weekday()]}) {local:%H:%M}"
    )
