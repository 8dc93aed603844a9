"""What happens to an outreach request and its offers. Each service is one transaction.

`request_set_state` and `offer_set_state` are the only places that change a state: they
ask `states` whether the transition exists and the request holds the facts it claims,
write the event log and the audit record, and queue the notification. Staff act through
named verbs (`request_review`, `request_approve`, `request_confirm`, `trainer_drop_out`,
...); `STAFF_VERBS` maps the API's and the admin's `to` values onto them one to one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access, audit
from core.problems import Conflict, NotFound, Problem
from core.time import SEOUL
from lms.accounts.models import Organization, User
from lms.centers.models import District
from lms.centers.selectors import center_for_district
from lms.outreach import notifications, states
from lms.outreach.fees import session_fee
from lms.outreach.matching import blocked_range
from lms.outreach.models import (
    MAX_ATTENDEES,
    MIN_PARTICIPANTS,
    TEXT_MAX_LENGTH,
    Accessibility,
    Audience,
    Offer,
    OfferState,
    OutreachEvent,
    OutreachRequest,
    OutreachSession,
    PreferredSlot,
    RequestState,
)
from lms.trainers.models import MaterialRevision, Topic, TrainerProfile
from lms.trainers.selectors import trainer_suspension_reasons

S = RequestState
OS = OfferState
# Readers of the old names (views, tests) find them in states.py.
APPLICANT_CANCELLABLE = states.APPLICANT_CANCELLABLE


def request_set_state(
    *, request: OutreachRequest, to: str, actor: User | None = None, note: str = ""
) -> OutreachRequest:
    """The one place a request changes state; call inside the caller's transaction."""
    refusal = states.request_refusal(request, to)
    if refusal:
        raise Conflict(refusal)
    OutreachEvent.objects.create(
        request=request, from_state=request.state, to_state=to, actor=actor, note=note
    )
    audit.record(
        actor=actor,
        action=f"outreach.request.{to}",
        subject=request,
        summary=f"{request.state} → {to}",
        data={"note": note} if note else None,
    )
    request.state = to
    request.save(update_fields=["state"])
    if to in notifications.DECISION_STATES:
        notifications.queue("decision", request.pk)
    return request


def offer_set_state(
    *, offer: Offer, to: str, actor: User | None = None, note: str = ""
) -> Offer:
    refusal = states.offer_refusal(offer.state, to)
    if refusal:
        raise Conflict(refusal)
    OutreachEvent.objects.create(
        request_id=offer.request_id,
        offer=offer,
        from_state=offer.state,
        to_state=to,
        actor=actor,
        note=note,
    )
    audit.record(
        actor=actor,
        action=f"outreach.offer.{to}",
        subject=offer,
        summary=f"{offer.state} → {to}",
        data={"note": note} if note else None,
    )
    offer.state = to
    offer.save(update_fields=["state"])
    if to in (OS.ACCEPTED, OS.DECLINED, OS.EXPIRED):
        notifications.queue("offer_outcome", offer.pk)
    return offer


# --- Applications ---------------------------------------------------------------------


@dataclass
class ApplicationData:
    organization_name: str
    organization_kind: str
    contact_name: str
    contact_phone: str
    contact_email: str
    participants: int
    address: str
    district_id: int
    topic_codes: list[str]
    audience: str
    slots: list[tuple[dt.datetime, dt.datetime]]
    accessibility: list[str]
    language: str = ""
    notes: str = ""


def _require_choices(data: ApplicationData) -> None:
    """Only the listed kinds, audiences and supports reach the records and reports."""
    if data.organization_kind not in Organization.Kind.values:
        raise Problem(_("기관 유형을 목록에서 골라 주세요."))
    if data.audience not in Audience.values:
        raise Problem(_("교육 대상을 목록에서 골라 주세요."))
    if not set(data.accessibility) <= set(Accessibility.values):
        raise Problem(_("접근성 지원 항목을 목록에서 골라 주세요."))


def _require_text_length(text: str, limit: int = TEXT_MAX_LENGTH) -> None:
    if len(text) > limit:
        raise Problem(_("%(n)d자 이내로 입력해 주세요.") % {"n": limit})


def _require_attendees(attendees: int) -> None:
    if not 0 <= attendees <= MAX_ATTENDEES:
        raise Problem(
            _("출석 인원은 0명부터 %(n)d명 사이로 입력해 주세요.")
            % {"n": MAX_ATTENDEES}
        )


def request_submit(
    *,
    data: ApplicationData,
    idempotency_key: str = "",
    organization: Organization | None = None,
) -> tuple[OutreachRequest, bool]:
    """Create a request routed to the district's center; the same key returns the first one.

    Returns (request, created).
    """
    if idempotency_key:
        existing = OutreachRequest.objects.filter(
            idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    if data.participants < MIN_PARTICIPANTS:
        raise Problem(_("참여 인원은 10명 이상이어야 합니다."))
    if data.participants > MAX_ATTENDEES:
        raise Problem(
            _("참여 인원은 %(n)d명 이하로 입력해 주세요.") % {"n": MAX_ATTENDEES}
        )
    _require_choices(data)
    if not data.slots:
        raise Problem(_("희망 일시를 하나 이상 입력해 주세요."))
    now = timezone.now()
    for start, end in data.slots:
        if end <= start:
            raise Problem(_("희망 일시의 종료 시각은 시작 시각보다 늦어야 합니다."))
        if start <= now:
            raise Problem(_("희망 일시는 앞으로의 날짜여야 합니다."))
    district = District.objects.filter(pk=data.district_id).first()
    if district is None:
        raise Problem(_("교육 장소의 자치구를 골라 주세요."))
    topics = list(Topic.objects.filter(code__in=data.topic_codes))
    if not topics or len(topics) != len(set(data.topic_codes)):
        raise Problem(_("교육 주제를 하나 이상 올바르게 골라 주세요."))
    center = center_for_district(district=district)
    try:
        with transaction.atomic():
            request = OutreachRequest.objects.create(
                idempotency_key=idempotency_key or None,
                organization=organization,
                organization_name=data.organization_name.strip(),
                organization_kind=data.organization_kind,
                contact_name=data.contact_name.strip(),
                contact_phone=data.contact_phone.strip(),
                contact_email=data.contact_email.strip(),
                participants=data.participants,
                address=data.address.strip(),
                district=district,
                center=center,
                audience=data.audience,
                accessibility=sorted(set(data.accessibility)),
                language=data.language,
                notes=data.notes.strip(),
            )
            request.topics.set(topics)
            PreferredSlot.objects.bulk_create(
                PreferredSlot(request=request, starts_at=s, ends_at=e)
                for s, e in data.slots
            )
            OutreachEvent.objects.create(
                request=request, from_state="", to_state=S.SUBMITTED, note="신청 접수"
            )
            notifications.queue("receipt", request.pk)
    except IntegrityError:
        # A concurrent duplicate with the same key won the insert.
        existing = OutreachRequest.objects.filter(
            idempotency_key=idempotency_key
        ).first()
        if existing is None:
            raise
        return existing, False
    return request, True


def _staff_request(request_id: int, actor: User) -> OutreachRequest:
    request = OutreachRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or not can_manage(actor=actor, request=request):
        raise NotFound(_("신청을 찾을 수 없습니다."))
    return request


def can_manage(*, actor: User, request: OutreachRequest) -> bool:
    return access.may_act_for_center(actor, request.center_id)


@transaction.atomic
def request_review(*, request_id: int, actor: User) -> OutreachRequest:
    request = _staff_request(request_id, actor)
    return request_set_state(request=request, to=S.UNDER_REVIEW, actor=actor)


@transaction.atomic
def request_ask_info(*, request_id: int, actor: User, question: str) -> OutreachRequest:
    if not question.strip():
        raise Problem(_("신청자에게 물어볼 내용을 입력해 주세요."))
    request = _staff_request(request_id, actor)
    request.staff_question = question.strip()
    request.save(update_fields=["staff_question"])
    request_set_state(request=request, to=S.NEEDS_INFO, actor=actor, note=question)
    notifications.queue("question", request.pk)
    return request


@transaction.atomic
def request_answer(*, token, answer: str) -> OutreachRequest:
    """The applicant answers the staff question from the follow-up page."""
    request = (
        OutreachRequest.objects.select_for_update().filter(public_token=token).first()
    )
    if request is None:
        raise NotFound()
    if not answer.strip():
        raise Problem(_("답변을 입력해 주세요."))
    _require_text_length(answer)
    if request.state != S.NEEDS_INFO:
        raise Conflict(_("지금은 답변할 질문이 없습니다."))
    request.applicant_answer = answer.strip()
    request.save(update_fields=["applicant_answer"])
    return request_set_state(request=request, to=S.UNDER_REVIEW, note=answer)


@transaction.atomic
def request_withdraw(*, token, reason: str = "") -> OutreachRequest:
    request = (
        OutreachRequest.objects.select_for_update().filter(public_token=token).first()
    )
    if request is None:
        raise NotFound()
    _require_text_length(reason)
    _release_offers(request, None, _("신청자가 취소했습니다."))
    return request_set_state(request=request, to=S.WITHDRAWN, note=reason)


def _release_offers(request: OutreachRequest, actor: User | None, note: str) -> None:
    for offer in request.offers.select_for_update().filter(
        state__in=states.HOLDING_OFFERS
    ):
        offer_set_state(offer=offer, to=OS.WITHDRAWN, actor=actor, note=note)


@transaction.atomic
def request_approve(
    *, request_id: int, actor: User, slot_id: int | None = None, reason: str = ""
) -> OutreachRequest:
    """Approve with one of the preferred slots (the first by default) and open matching."""
    request = _staff_request(request_id, actor)
    slots = list(request.preferred_slots.all())
    slot = next((s for s in slots if s.pk == slot_id), None) if slot_id else slots[0]
    if slot is None:
        raise Problem(_("희망 일시 중 하나를 골라 주세요."))
    request.starts_at, request.ends_at = slot.starts_at, slot.ends_at
    request.decision_reason = reason
    request.save(update_fields=["starts_at", "ends_at", "decision_reason"])
    request_set_state(request=request, to=S.APPROVED, actor=actor, note=reason)
    return request_set_state(request=request, to=S.MATCHING, actor=actor)


@transaction.atomic
def request_reject(*, request_id: int, actor: User, reason: str) -> OutreachRequest:
    if not reason.strip():
        raise Problem(_("반려 사유를 입력해 주세요."))
    request = _staff_request(request_id, actor)
    request.decision_reason = reason.strip()
    request.save(update_fields=["decision_reason"])
    return request_set_state(request=request, to=S.REJECTED, actor=actor, note=reason)


def requests_decide_batch(
    *, request_ids: list[int], actor: User, decision: str, reason: str = ""
) -> dict[int, str]:
    """Approve or reject many; each request in its own transaction. Returns id → outcome."""
    outcomes: dict[int, str] = {}
    for request_id in request_ids:
        try:
            if decision == "approve":
                request_approve(request_id=request_id, actor=actor, reason=reason)
            elif decision == "reject":
                request_reject(request_id=request_id, actor=actor, reason=reason)
            else:
                raise Problem(_("알 수 없는 결정입니다."))
            outcomes[request_id] = "ok"
        except Problem as problem:
            outcomes[request_id] = problem.detail
    return outcomes


@transaction.atomic
def request_cancel(*, request_id: int, actor: User, reason: str) -> OutreachRequest:
    """Staff cancel the education (the applicant withdraws from the follow-up page)."""
    if not reason.strip():
        raise Problem(_("취소 사유를 입력해 주세요."))
    request = _staff_request(request_id, actor)
    _release_session(request, actor, reason)
    request.decision_reason = reason.strip()
    request.save(update_fields=["decision_reason"])
    return request_set_state(request=request, to=S.CANCELLED, actor=actor, note=reason)


@transaction.atomic
def request_mark_unfilled(
    *, request_id: int, actor: User, reason: str = ""
) -> OutreachRequest:
    """No trainer could be found for the date: the applicant is told."""
    request = _staff_request(request_id, actor)
    _release_offers(request, actor, reason or _("강사를 구하지 못했습니다."))
    request.decision_reason = reason.strip() or _(
        "해당 일시에 가능한 강사를 찾지 못했습니다."
    )
    request.save(update_fields=["decision_reason"])
    return request_set_state(request=request, to=S.UNFILLED, actor=actor, note=reason)


#: States that only a fact makes true, and the fact that makes each.
FACT_STATES = {
    S.SUBMITTED: _("신청서가 접수되면 이 상태가 됩니다."),
    S.ASSIGNED: _("강사가 제안을 수락하면 이 상태가 됩니다."),
    S.DELIVERED: _("강사가 출석을 보고하면 이 상태가 됩니다."),
    S.REPORTED: _("강사가 강의 보고서를 내면 이 상태가 됩니다."),
    S.WITHDRAWN: _("신청자만 취소할 수 있습니다. 센터는 '교육 취소'를 쓰세요."),
}


def request_transition(
    *,
    request_id: int,
    actor: User,
    to: str,
    reason: str = "",
    slot_id: int | None = None,
) -> OutreachRequest:
    """The staff verb behind each target state, as the API's transitions and the admin's
    buttons name it: one to one, so every screen checks and logs a change the same way."""
    one = {"request_id": request_id, "actor": actor}
    if to == S.UNDER_REVIEW:
        return request_review(**one)
    if to == S.NEEDS_INFO:
        return request_ask_info(**one, question=reason)
    if to == S.APPROVED:
        return request_approve(**one, slot_id=slot_id, reason=reason)
    if to == S.REJECTED:
        return request_reject(**one, reason=reason)
    if to == S.CONFIRMED:
        return request_confirm(**one)
    if to == S.MATCHING:
        return trainer_drop_out(**one, reason=reason)
    if to == S.CANCELLED:
        return request_cancel(**one, reason=reason)
    if to == S.UNFILLED:
        return request_mark_unfilled(**one, reason=reason)
    if to == S.CLOSED:
        return request_close(**one)
    with transaction.atomic():
        _staff_request(request_id, actor)  # another center's request is 404 first
    if to in FACT_STATES:
        raise Conflict(
            _("'%(to)s' 상태는 직접 바꿀 수 없습니다: %(how)s")
            % {"to": RequestState(to).label, "how": FACT_STATES[to]}
        )
    raise Problem(_("알 수 없는 상태입니다: %(to)s") % {"to": to})


# --- Offers ---------------------------------------------------------------------------


def _overlap_conflict() -> Conflict:
    return Conflict(
        _("이 강사는 이동 시간을 포함해 겹치는 일정이 이미 있습니다."),
    )


def offer_create(
    *, request_id: int, trainer_id: int, actor: User, reason: str = ""
) -> Offer:
    """Offer the request's session to a trainer; an overlapping hold of the trainer is a 409.

    The trainer row lock serialises offers to one trainer; on PostgreSQL the exclusion
    constraint is the last word even if a writer skipped this service.
    """
    try:
        with transaction.atomic():
            request = _staff_request(request_id, actor)
            trainer = (
                TrainerProfile.objects.select_for_update().filter(pk=trainer_id).first()
            )
            if trainer is None:
                raise NotFound(_("강사를 찾을 수 없습니다."))
            if request.state != S.MATCHING:
                raise Conflict(_("강사 섭외 중인 신청에만 제안할 수 있습니다."))
            suspended = trainer_suspension_reasons(
                trainer=trainer, on=request.starts_at.astimezone(SEOUL).date()
            )
            if suspended:
                raise Conflict(
                    _("이 강사는 배정이 정지되어 있습니다: %(why)s")
                    % {"why": " ".join(suspended)}
                )
            if request.offers.filter(state__in=states.HOLDING_OFFERS).exists():
                raise Conflict(_("이 신청에는 이미 응답을 기다리는 제안이 있습니다."))
            blocked_from, blocked_until = blocked_range(
                request.starts_at, request.ends_at
            )
            if Offer.objects.filter(
                trainer=trainer,
                state__in=states.HOLDING_OFFERS,
                blocked_from__lt=blocked_until,
                blocked_until__gt=blocked_from,
            ).exists():
                raise _overlap_conflict()
            offer = Offer.objects.create(
                request=request,
                trainer=trainer,
                starts_at=request.starts_at,
                ends_at=request.ends_at,
                blocked_from=blocked_from,
                blocked_until=blocked_until,
                expires_at=timezone.now()
                + dt.timedelta(hours=settings.OUTREACH_OFFER_TTL_HOURS),
                rank_reason=reason[:300],
                offered_by=actor,
            )
            OutreachEvent.objects.create(
                request=request,
                offer=offer,
                from_state="",
                to_state=OS.OFFERED,
                actor=actor,
            )
            notifications.queue("offer", offer.pk)
            return offer
    except IntegrityError as exc:
        raise _overlap_conflict() from exc


def _trainer_offer(offer_id: int, trainer_user: User) -> Offer:
    offer = (
        Offer.objects.select_for_update()
        .select_related("trainer", "request")
        .filter(pk=offer_id, trainer__user=trainer_user)
        .first()
    )
    if offer is None:
        raise NotFound(_("제안을 찾을 수 없습니다."))
    return offer


@transaction.atomic
def offer_accept(*, offer_id: int, trainer_user: User) -> OutreachSession:
    """The trainer accepts: the session exists and the request is assigned to them.

    Staff then confirm it to the trainer and the organization (`request_confirm`)."""
    offer = _trainer_offer(offer_id, trainer_user)
    if offer.state == OS.OFFERED and offer.expires_at <= timezone.now():
        # The beat task records the expiry; this answer changes nothing.
        raise Conflict(_("응답 기한이 지난 제안입니다."))
    request = OutreachRequest.objects.select_for_update().get(pk=offer.request_id)
    offer_set_state(offer=offer, to=OS.ACCEPTED, actor=trainer_user)
    trainer = offer.trainer
    session = OutreachSession.objects.create(
        request=request,
        offer=offer,
        trainer=trainer,
        starts_at=offer.starts_at,
        ends_at=offer.ends_at,
        fee_amount=session_fee(
            trainer=trainer,
            district=request.district,
            starts_at=offer.starts_at,
            ends_at=offer.ends_at,
        ),
    )
    request_set_state(request=request, to=S.ASSIGNED, actor=trainer_user)
    return session


@transaction.atomic
def request_confirm(*, request_id: int, actor: User) -> OutreachRequest:
    """Staff confirm the assigned trainer: both sides get the invitation (iCalendar)."""
    request = _staff_request(request_id, actor)
    request_set_state(request=request, to=S.CONFIRMED, actor=actor)
    notifications.queue("confirmation", request.session.pk)
    return request


def _release_session(request: OutreachRequest, actor: User | None, note: str) -> None:
    """Free the trainer's date: the offer is withdrawn and the unused session removed."""
    session = getattr(request, "session", None)
    if session is not None:
        if session.attendance_reported_at is not None:
            raise Conflict(_("이미 실시된 교육의 강사 일정은 해제할 수 없습니다."))
        offer = Offer.objects.select_for_update().get(pk=session.offer_id)
        session.delete()
        request.session = None
        if offer.state in states.HOLDING_OFFERS:
            offer_set_state(offer=offer, to=OS.WITHDRAWN, actor=actor, note=note)
    _release_offers(request, actor, note)


@transaction.atomic
def trainer_drop_out(*, request_id: int, actor: User, reason: str) -> OutreachRequest:
    """The assigned (or confirmed) trainer can no longer come: back to matching.

    The trainer says so from the portal, or staff record it for them. The date is kept,
    the trainer's hold is released, and the organization and the staff are told.
    """
    if not reason.strip():
        raise Problem(_("불참 사유를 입력해 주세요."))
    request = OutreachRequest.objects.select_for_update().filter(pk=request_id).first()
    session = getattr(request, "session", None) if request else None
    is_its_trainer = session is not None and session.trainer.user_id == actor.pk
    if request is None or not (
        is_its_trainer or can_manage(actor=actor, request=request)
    ):
        raise NotFound(_("신청을 찾을 수 없습니다."))
    if request.state not in states.SCHEDULED:
        raise Conflict(_("강사가 배정·확정된 신청에서만 불참을 알릴 수 있습니다."))
    if request.starts_at <= timezone.now():
        raise Conflict(_("이미 시작한 교육은 불참으로 돌릴 수 없습니다."))
    _release_session(request, actor, reason.strip())
    request_set_state(request=request, to=S.MATCHING, actor=actor, note=reason.strip())
    notifications.queue("drop_out", request.events.latest("pk").pk)
    return request


@transaction.atomic
def offer_decline(*, offer_id: int, trainer_user: User, reason: str = "") -> Offer:
    """The trainer declines, saying why (the center reads it when it asks the next one)."""
    if not reason.strip():
        raise Problem(_("거절 사유를 입력해 주세요."), field="reason")
    _require_text_length(reason)
    reason = reason.strip()
    offer = _trainer_offer(offer_id, trainer_user)
    return offer_set_state(offer=offer, to=OS.DECLINED, actor=trainer_user, note=reason)


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Expire every offer past its deadline; staff are told. Returns how many expired."""
    now = now or timezone.now()
    count = 0
    for offer_id in Offer.objects.filter(
        state=OS.OFFERED, expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            offer = Offer.objects.select_for_update().get(pk=offer_id)
            if offer.state == OS.OFFERED and offer.expires_at <= now:
                offer_set_state(offer=offer, to=OS.EXPIRED, note="응답 기한 경과")
                count += 1
    return count


def reminders_send(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.OUTREACH_REMINDER_HOURS_BEFORE)
    count = 0
    for session_id in OutreachSession.objects.filter(
        request__state=S.CONFIRMED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=horizon,
    ).values_list("pk", flat=True):
        with transaction.atomic():
            updated = OutreachSession.objects.filter(
                pk=session_id, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if updated:
                notifications.queue("reminder", session_id)
                count += 1
    return count


# --- After the session ----------------------------------------------------------------


def _trainer_session(session_id: int, trainer_user: User) -> OutreachSession:
    session = (
        OutreachSession.objects.select_for_update()
        .filter(pk=session_id, trainer__user=trainer_user)
        .first()
    )
    if session is None:
        raise NotFound(_("교육 회차를 찾을 수 없습니다."))
    return session


@transaction.atomic
def attendance_report(
    *,
    session_id: int,
    trainer_user: User,
    attendees: int,
    now: dt.datetime | None = None,
) -> OutreachSession:
    session = _trainer_session(session_id, trainer_user)
    if (now or timezone.now()) < session.starts_at:
        raise Conflict(_("교육이 시작된 뒤에 출석을 보고할 수 있습니다."))
    _require_attendees(attendees)
    request = OutreachRequest.objects.select_for_update().get(pk=session.request_id)
    if request.state not in (S.CONFIRMED, S.DELIVERED):
        raise Conflict(_("지금은 출석을 보고할 수 없습니다."))
    session.attendees_reported = attendees
    session.attendance_reported_at = timezone.now()
    session.save(update_fields=["attendees_reported", "attendance_reported_at"])
    if request.state == S.CONFIRMED:
        request_set_state(request=request, to=S.DELIVERED, actor=trainer_user)
    return session


@transaction.atomic
def attendance_confirm(*, token, attendees: int | None = None) -> OutreachSession:
    """The organization confirms (or corrects) the attendance from its follow-up page."""
    session = (
        OutreachSession.objects.select_for_update()
        .filter(request__public_token=token)
        .first()
    )
    if session is None:
        raise NotFound()
    if session.attendance_reported_at is None:
        raise Conflict(_("강사가 출석을 보고한 뒤에 확인할 수 있습니다."))
    if attendees is not None:
        _require_attendees(attendees)
    # The figures the city gets are frozen: corrections while the session is delivered,
    # one confirmation if the trainer reported first, nothing once it is closed.
    state = OutreachRequest.objects.values_list("state", flat=True).get(
        pk=session.request_id
    )
    first_after_report = state == S.REPORTED and session.attendance_confirmed_at is None
    if state != S.DELIVERED and not first_after_report:
        raise Conflict(_("보고가 끝난 교육의 출석 인원은 바꿀 수 없습니다."))
    session.attendees_confirmed = (
        attendees if attendees is not None else session.attendees_reported
    )
    session.attendance_confirmed_at = timezone.now()
    session.save(update_fields=["attendees_confirmed", "attendance_confirmed_at"])
    return session


@transaction.atomic
def lecture_report_submit(
    *,
    session_id: int,
    trainer_user: User,
    report: str,
    material_revision_id: int | None = None,
) -> OutreachSession:
    session = _trainer_session(session_id, trainer_user)
    if session.attendance_reported_at is None:
        raise Conflict(_("출석을 먼저 보고해 주세요."))
    if not report.strip():
        raise Problem(_("강의 보고서 내용을 입력해 주세요."))
    if material_revision_id:
        revision = MaterialRevision.objects.filter(
            pk=material_revision_id,
            material__trainer=session.trainer,
            status=MaterialRevision.Status.APPROVED,
        ).first()
        if revision is None:
            raise Problem(_("승인된 강의 자료 판만 고를 수 있습니다."))
        session.material_revision = revision
    session.report = report.strip()
    session.report_submitted_at = timezone.now()
    session.save(update_fields=["report", "report_submitted_at", "material_revision"])
    request = OutreachRequest.objects.select_for_update().get(pk=session.request_id)
    request_set_state(request=request, to=S.REPORTED, actor=trainer_user)
    return session


@transaction.atomic
def request_close(*, request_id: int, actor: User) -> OutreachRequest:
    request = _staff_request(request_id, actor)
    return request_set_state(request=request, to=S.CLOSED, actor=actor)


def ensure_staff(user: User) -> None:
    access.require_operator(user)
