"""What happens to an outreach request and its offers. Each service is one transaction.

`request_set_state` and `offer_set_state` are the only places that change a state: they check
the transition, write the event log and schedule the notification.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.problems import Conflict, NotFound, PermissionDenied, Problem
from lms.accounts.models import Organization, Role, User
from lms.centers.models import District
from lms.centers.selectors import center_for_district
from lms.outreach import notifications
from lms.outreach.fees import lecture_fee, travel_class
from lms.outreach.matching import blocked_range
from lms.outreach.models import (
    HOLDING_OFFER_STATES,
    MIN_PARTICIPANTS,
    Offer,
    OfferState,
    OutreachEvent,
    OutreachRequest,
    OutreachSession,
    PreferredSlot,
    RequestState,
)
from lms.trainers.models import MaterialRevision, Topic, TrainerProfile
from lms.trainers.selectors import SEOUL, trainer_suspension_reasons

S = RequestState
REQUEST_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.UNDER_REVIEW, S.REJECTED, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.NEEDS_INFO, S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.NEEDS_INFO: {S.UNDER_REVIEW, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: {S.MATCHING, S.WITHDRAWN, S.CANCELLED},
    S.MATCHING: {S.ASSIGNED, S.UNFILLED, S.WITHDRAWN, S.CANCELLED},
    S.ASSIGNED: {S.CONFIRMED, S.MATCHING, S.WITHDRAWN, S.CANCELLED},
    S.CONFIRMED: {S.DELIVERED, S.WITHDRAWN, S.CANCELLED},
    S.DELIVERED: {S.REPORTED},
    S.REPORTED: {S.CLOSED},
    S.CLOSED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
    S.CANCELLED: set(),
    S.UNFILLED: set(),
}
OS = OfferState
OFFER_TRANSITIONS: dict[str, set[str]] = {
    OS.OFFERED: {OS.ACCEPTED, OS.DECLINED, OS.EXPIRED, OS.WITHDRAWN},
    OS.ACCEPTED: {OS.WITHDRAWN},
    OS.DECLINED: set(),
    OS.EXPIRED: set(),
    OS.WITHDRAWN: set(),
}
# States in which the applicant may still withdraw from the follow-up page.
APPLICANT_CANCELLABLE = {
    s for s, targets in REQUEST_TRANSITIONS.items() if S.WITHDRAWN in targets
}


def request_set_state(
    *, request: OutreachRequest, to: str, actor: User | None = None, note: str = ""
) -> OutreachRequest:
    """The one place a request changes state; call inside the caller's transaction."""
    if to not in REQUEST_TRANSITIONS[request.state]:
        raise Conflict(
            _("'%(from)s' 상태에서 '%(to)s'(으)로 바꿀 수 없습니다.")
            % {"from": RequestState(request.state).label, "to": RequestState(to).label}
        )
    OutreachEvent.objects.create(
        request=request, from_state=request.state, to_state=to, actor=actor, note=note
    )
    request.state = to
    request.save(update_fields=["state"])
    if to in (S.APPROVED, S.REJECTED, S.CANCELLED, S.UNFILLED):
        transaction.on_commit(lambda: notifications.send_decision(request.pk))
    return request


def offer_set_state(
    *, offer: Offer, to: str, actor: User | None = None, note: str = ""
) -> Offer:
    if to not in OFFER_TRANSITIONS[offer.state]:
        raise Conflict(
            _("'%(from)s' 상태의 제안을 '%(to)s'(으)로 바꿀 수 없습니다.")
            % {"from": OfferState(offer.state).label, "to": OfferState(to).label}
        )
    OutreachEvent.objects.create(
        request_id=offer.request_id,
        offer=offer,
        from_state=offer.state,
        to_state=to,
        actor=actor,
        note=note,
    )
    offer.state = to
    offer.save(update_fields=["state"])
    if to in (OS.DECLINED, OS.EXPIRED):
        transaction.on_commit(
            lambda: notifications.send_offer_outcome_to_staff(offer.pk)
        )
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
            transaction.on_commit(lambda: notifications.send_receipt(request.pk))
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
    if actor.is_superuser:
        return True
    if actor.role != Role.STAFF or actor.center_id is None:
        return False
    # The metropolitan center (광역) oversees every center's queue.
    return actor.center_id == request.center_id or actor.center.kind == "metropolitan"


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
    transaction.on_commit(lambda: notifications.send_question(request.pk))
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
    _release_offers(request, None, _("신청자가 취소했습니다."))
    return request_set_state(request=request, to=S.WITHDRAWN, note=reason)


def _release_offers(request: OutreachRequest, actor: User | None, note: str) -> None:
    for offer in request.offers.select_for_update().filter(
        state__in=HOLDING_OFFER_STATES
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
def request_transition(
    *, request_id: int, actor: User, to: str, reason: str = ""
) -> OutreachRequest:
    """Generic staff transition for the API; decisions with side data use their services."""
    if to == S.APPROVED:
        return request_approve(request_id=request_id, actor=actor, reason=reason)
    if to == S.REJECTED:
        return request_reject(request_id=request_id, actor=actor, reason=reason)
    if to == S.NEEDS_INFO:
        return request_ask_info(request_id=request_id, actor=actor, question=reason)
    request = _staff_request(request_id, actor)
    if to in (S.CANCELLED, S.WITHDRAWN, S.UNFILLED):
        _release_offers(request, actor, reason)
    return request_set_state(request=request, to=to, actor=actor, note=reason)


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
            if request.offers.filter(state__in=HOLDING_OFFER_STATES).exists():
                raise Conflict(_("이 신청에는 이미 응답을 기다리는 제안이 있습니다."))
            blocked_from, blocked_until = blocked_range(
                request.starts_at, request.ends_at
            )
            if Offer.objects.filter(
                trainer=trainer,
                state__in=HOLDING_OFFER_STATES,
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
            transaction.on_commit(lambda: notifications.send_offer(offer.pk))
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
    """The trainer accepts: the session exists, the request is assigned and confirmed."""
    offer = _trainer_offer(offer_id, trainer_user)
    if offer.state == OS.OFFERED and offer.expires_at <= timezone.now():
        # The beat task records the expiry; this answer changes nothing.
        raise Conflict(_("응답 기한이 지난 제안입니다."))
    request = OutreachRequest.objects.select_for_update().get(pk=offer.request_id)
    offer_set_state(offer=offer, to=OS.ACCEPTED, actor=trainer_user)
    request_set_state(request=request, to=S.ASSIGNED, actor=trainer_user)
    trainer = offer.trainer
    session = OutreachSession.objects.create(
        request=request,
        offer=offer,
        trainer=trainer,
        starts_at=offer.starts_at,
        ends_at=offer.ends_at,
        fee_amount=lecture_fee(
            starts_at=offer.starts_at,
            ends_at=offer.ends_at,
            grade=trainer.grade,
            travel=travel_class(
                trainer_district=trainer.home_district,
                trainer_region_id=trainer.home_district.region_id,
                district=request.district,
            ),
        ),
    )
    request_set_state(request=request, to=S.CONFIRMED, note="강사 수락으로 확정")
    transaction.on_commit(lambda: notifications.send_confirmation(session.pk))
    return session


@transaction.atomic
def offer_decline(*, offer_id: int, trainer_user: User, reason: str = "") -> Offer:
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
                transaction.on_commit(
                    lambda sid=session_id: notifications.send_reminder(sid)
                )
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
    if attendees < 0:
        raise Problem(_("출석 인원을 확인해 주세요."))
    request = OutreachRequest.objects.select_for_update().get(pk=session.request_id)
    if request.state == S.CONFIRMED:
        request_set_state(request=request, to=S.DELIVERED, actor=trainer_user)
    elif request.state != S.DELIVERED:
        raise Conflict(_("지금은 출석을 보고할 수 없습니다."))
    session.attendees_reported = attendees
    session.attendance_reported_at = timezone.now()
    session.save(update_fields=["attendees_reported", "attendance_reported_at"])
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
    session = getattr(request, "session", None)
    if session is None or session.attendance_confirmed_at is None:
        raise Conflict(_("기관의 출석 확인 후에 종료할 수 있습니다."))
    return request_set_state(request=request, to=S.CLOSED, actor=actor)


def ensure_staff(user: User) -> None:
    if not (user.is_superuser or user.is_center_staff):
        raise PermissionDenied()
