"""The two state machines of outreach education: requests and offers.

Only `services.request_set_state` and `services.offer_set_state` change a state; they ask
this module whether the transition exists and whether the request holds the facts its
new state claims. Readers (selectors, reports, pages) import the named sets below
instead of spelling states out again.

    submitted → under_review ⇄ needs_info → approved → matching → assigned → confirmed
        → delivered → reported → closed
    exits: rejected, withdrawn (the applicant), cancelled (staff), unfilled (no trainer);
    a trainer who drops out after accepting sends assigned or confirmed back to matching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from lms.outreach.models import (
    HOLDING_OFFER_STATES,
    OfferState,
    OutreachRequest,
    RequestState,
)

S = RequestState
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.REJECTED, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset({S.NEEDS_INFO, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.NEEDS_INFO: frozenset({S.UNDER_REVIEW, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.MATCHING, S.WITHDRAWN, S.CANCELLED}),
    S.MATCHING: frozenset({S.ASSIGNED, S.UNFILLED, S.WITHDRAWN, S.CANCELLED}),
    # Assigned: the trainer accepted and the session exists; staff confirm it to both.
    S.ASSIGNED: frozenset({S.CONFIRMED, S.MATCHING, S.WITHDRAWN, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.DELIVERED, S.MATCHING, S.WITHDRAWN, S.CANCELLED}),
    S.DELIVERED: frozenset({S.REPORTED}),
    S.REPORTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CANCELLED: frozenset(),
    S.UNFILLED: frozenset(),
}

OS = OfferState
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OS.OFFERED: frozenset({OS.ACCEPTED, OS.DECLINED, OS.EXPIRED, OS.WITHDRAWN}),
    OS.ACCEPTED: frozenset({OS.WITHDRAWN}),
    OS.DECLINED: frozenset(),
    OS.EXPIRED: frozenset(),
    OS.WITHDRAWN: frozenset(),
}

# --- Named sets that readers import -------------------------------------------------------

#: Ended for good: nothing more happens to the request.
ENDED = frozenset(s for s, targets in REQUEST_TRANSITIONS.items() if not targets)
#: Still in someone's hands: the staff queue shows these by default.
OPEN = frozenset(REQUEST_TRANSITIONS) - ENDED
#: The education took place: what the city report counts as a session delivered.
DELIVERED = frozenset({S.DELIVERED, S.REPORTED, S.CLOSED})
#: A trainer holds the date (the session exists and is not yet delivered).
SCHEDULED = frozenset({S.ASSIGNED, S.CONFIRMED})
#: The applicant may still withdraw from the follow-up page.
APPLICANT_CANCELLABLE = frozenset(
    s for s, targets in REQUEST_TRANSITIONS.items() if S.WITHDRAWN in targets
)
#: Staff may cancel the education.
STAFF_CANCELLABLE = frozenset(
    s for s, targets in REQUEST_TRANSITIONS.items() if S.CANCELLED in targets
)
#: Offers that hold the trainer's time (the exclusion constraint covers these).
HOLDING_OFFERS = frozenset(HOLDING_OFFER_STATES)


# --- The facts a state claims ------------------------------------------------------------


def _session(request: OutreachRequest):
    return getattr(request, "session", None)


def _has_trainer(request: OutreachRequest) -> str | None:
    session = _session(request)
    if session is None or session.offer.state != OS.ACCEPTED:
        return _("강사가 제안을 수락한 뒤에만 배정·확정할 수 있습니다.")
    return None


def _attendance_reported(request: OutreachRequest) -> str | None:
    session = _session(request)
    if session is None or session.attendance_reported_at is None:
        return _("강사가 출석을 보고해야 교육 실시로 바뀝니다.")
    return None


def _lecture_reported(request: OutreachRequest) -> str | None:
    session = _session(request)
    if session is None or session.report_submitted_at is None:
        return _("강사의 강의 보고서가 있어야 결과 보고로 바뀝니다.")
    return None


def _attendance_confirmed(request: OutreachRequest) -> str | None:
    session = _session(request)
    if session is None or session.attendance_confirmed_at is None:
        return _("기관의 출석 확인 후에 종료할 수 있습니다.")
    return None


def _no_session(request: OutreachRequest) -> str | None:
    if _session(request) is not None:
        return _("배정된 강사의 일정을 먼저 해제해야 다시 섭외할 수 있습니다.")
    return None


def _has_slot(request: OutreachRequest) -> str | None:
    if request.starts_at is None or request.ends_at is None:
        return _("교육 일시를 정해야 승인할 수 있습니다.")
    return None


REQUEST_GUARDS: dict[str, Callable[[OutreachRequest], str | None]] = {
    S.APPROVED: _has_slot,
    S.MATCHING: _no_session,
    S.ASSIGNED: _has_trainer,
    S.CONFIRMED: _has_trainer,
    S.DELIVERED: _attendance_reported,
    S.REPORTED: _lecture_reported,
    S.CLOSED: _attendance_confirmed,
}


def request_refusal(request: OutreachRequest, to: str) -> str | None:
    """Why `request` may not move to `to` now, in Korean; None when it may."""
    if to not in REQUEST_TRANSITIONS.get(request.state, ()):
        return _("'%(from)s' 상태에서 '%(to)s'(으)로 바꿀 수 없습니다.") % {
            "from": RequestState(request.state).label,
            "to": RequestState(to).label,
        }
    guard = REQUEST_GUARDS.get(to)
    return guard(request) if guard else None


def offer_refusal(state: str, to: str) -> str | None:
    if to not in OFFER_TRANSITIONS.get(state, ()):
        return _("'%(from)s' 상태의 제안을 '%(to)s'(으)로 바꿀 수 없습니다.") % {
            "from": OfferState(state).label,
            "to": OfferState(to).label,
        }
    return None
