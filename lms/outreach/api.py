"""`/api/v1/outreach/` operations: requests, state changes, matching, offers, sessions, payouts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Header, Router, Schema, Status
from pydantic import Field

from core import access
from core.auth import api_auth
from core.problems import NotFound, PermissionDenied, ProblemOut
from core.types import BodyId, BodyInt, BoundedDateTime, DbId, Month, Year
from lms.accounts.models import Organization
from lms.outreach import selectors, services
from lms.outreach.exports import payout_xlsx_response
from lms.outreach.matching import candidates_for
from lms.outreach.models import (
    MAX_ATTENDEES,
    MIN_PARTICIPANTS,
    REPORT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Accessibility,
    Audience,
    Offer,
    OutreachRequest,
    OutreachSession,
    RequestState,
)

router = Router(tags=["outreach"])


class SlotIn(Schema):
    starts_at: BoundedDateTime
    ends_at: BoundedDateTime


class RequestIn(Schema):
    organization_name: str = Field(min_length=1, max_length=120)
    organization_kind: Organization.Kind
    contact_name: str = Field(min_length=1, max_length=50)
    contact_phone: str = Field(min_length=9, max_length=20)
    contact_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    participants: BodyInt = Field(ge=MIN_PARTICIPANTS, le=MAX_ATTENDEES)
    address: str = Field(min_length=1, max_length=200)
    district_id: BodyId
    topics: list[Annotated[str, Field(max_length=40)]] = Field(
        min_length=1, max_length=20, description="주제 코드"
    )
    audience: Audience
    slots: list[SlotIn] = Field(min_length=1, max_length=5)
    accessibility: list[Accessibility] = Field([], max_length=len(Accessibility))
    language: str = Field("", max_length=8)
    notes: str = Field("", max_length=TEXT_MAX_LENGTH)


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class RequestOut(Schema):
    id: int
    state: str
    organization_name: str
    participants: int
    district: str
    center: str
    topics: list[str]
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    follow_up_token: str
    slots: list[SlotOut]

    @staticmethod
    def of(r: OutreachRequest) -> RequestOut:
        return RequestOut(
            id=r.pk,
            state=r.state,
            organization_name=r.organization_name,
            participants=r.participants,
            district=r.district.name,
            center=r.center.name,
            topics=[t.code for t in r.topics.all()],
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            follow_up_token=str(r.public_token),
            slots=[
                SlotOut(id=s.pk, starts_at=s.starts_at, ends_at=s.ends_at)
                for s in r.preferred_slots.all()
            ],
        )


class TransitionIn(Schema):
    to: RequestState
    reason: str = Field("", max_length=TEXT_MAX_LENGTH)
    slot_id: BodyId | None = None


class CandidateOut(Schema):
    trainer_id: int
    rank: int
    reason: str


class CandidatesOut(Schema):
    candidates: list[CandidateOut]
    excluded: dict[int, list[str]]


class OfferIn(Schema):
    trainer_id: BodyId


class OfferOut(Schema):
    id: int
    request_id: int
    trainer_id: int
    state: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    expires_at: dt.datetime


class DeclineIn(Schema):
    reason: str = Field("", max_length=TEXT_MAX_LENGTH)


class SessionOut(Schema):
    id: int
    request_id: int
    trainer_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    attendees_reported: int | None
    attendees_confirmed: int | None
    report_submitted: bool
    material_revision_id: int | None
    fee_amount: int | None
    survey_token: str

    @staticmethod
    def of(s: OutreachSession) -> SessionOut:
        return SessionOut(
            id=s.pk,
            request_id=s.request_id,
            trainer_id=s.trainer_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            attendees_reported=s.attendees_reported,
            attendees_confirmed=s.attendees_confirmed,
            report_submitted=s.report_submitted_at is not None,
            material_revision_id=s.material_revision_id,
            fee_amount=s.fee_amount,
            survey_token=str(s.survey_token),
        )


class AttendanceIn(Schema):
    attendees: BodyInt = Field(ge=0, le=MAX_ATTENDEES)


class ReportIn(Schema):
    report: str = Field(min_length=1, max_length=REPORT_MAX_LENGTH)
    material_revision_id: BodyId | None = None


def _visible_requests(user):
    if access.is_operator(user):
        return selectors.requests_for_staff(user=user, state="")
    if access.is_org_contact(user):
        return OutreachRequest.objects.filter(organization=user.organization_id)
    raise PermissionDenied()


def _request_for(user, request_id: DbId) -> OutreachRequest:
    """Staff: any request of their centers, whatever its state; a contact: their own.
    Anything else answers 404, not 403."""
    if access.is_operator(user):
        qs = access.scope_to_centers(OutreachRequest.objects.all(), user)
    elif access.is_org_contact(user):
        qs = OutreachRequest.objects.filter(organization=user.organization_id)
    else:
        raise NotFound()
    r = qs.select_related("district", "center").filter(pk=request_id).first()
    if r is None:
        raise NotFound()
    return r


@router.post(
    "/requests",
    response={201: RequestOut, 200: RequestOut, 400: ProblemOut, 422: ProblemOut},
    auth=None,
    summary="Apply for outreach education; the same Idempotency-Key returns the first request",
)
def request_create(
    request: HttpRequest,
    payload: RequestIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=80),
):
    user = request.user
    organization = (
        user.organization if user.is_authenticated and user.organization_id else None
    )
    outreach, created = services.request_submit(
        data=services.ApplicationData(
            organization_name=payload.organization_name,
            organization_kind=payload.organization_kind,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            contact_email=payload.contact_email,
            participants=payload.participants,
            address=payload.address,
            district_id=payload.district_id,
            topic_codes=payload.topics,
            audience=payload.audience,
            slots=[(s.starts_at, s.ends_at) for s in payload.slots],
            accessibility=payload.accessibility,
            language=payload.language,
            notes=payload.notes,
        ),
        idempotency_key=idempotency_key[:80],
        organization=organization,
    )
    return Status(201 if created else 200, RequestOut.of(outreach))


@router.get(
    "/requests",
    response={200: list[RequestOut], 401: ProblemOut, 403: ProblemOut},
    auth=api_auth,
    summary="Requests of the caller's center (staff) or organization (contact)",
)
def request_list(
    request: HttpRequest, state: Annotated[str, Field(max_length=20)] = ""
):
    qs = _visible_requests(request.user).prefetch_related("topics", "preferred_slots")
    if state:
        qs = qs.filter(state=state)
    return [RequestOut.of(r) for r in qs.select_related("district", "center")[:500]]


@router.get(
    "/requests/{request_id}",
    response={200: RequestOut, 404: ProblemOut},
    auth=api_auth,
    summary="One request",
)
def request_detail(request: HttpRequest, request_id: DbId):
    return RequestOut.of(_request_for(request.user, request_id))


@router.post(
    "/requests/{request_id}/transitions",
    response={200: RequestOut, 400: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="Staff change a request's state (review, needs_info, approved, rejected ...)",
)
def request_transition(request: HttpRequest, request_id: DbId, payload: TransitionIn):
    return RequestOut.of(
        services.request_transition(
            request_id=request_id,
            actor=request.user,
            to=payload.to,
            reason=payload.reason,
            slot_id=payload.slot_id,
        )
    )


@router.get(
    "/requests/{request_id}/candidates",
    response={200: CandidatesOut, 404: ProblemOut},
    auth=api_auth,
    summary="Trainers who pass the hard filters, ranked, each with the reason",
)
def request_candidates(request: HttpRequest, request_id: DbId):
    r = _request_for(request.user, request_id)
    if not access.is_operator(request.user) or not r.starts_at:
        raise NotFound()
    result = candidates_for(request=r)
    return CandidatesOut(
        candidates=[
            CandidateOut(trainer_id=c.trainer.pk, rank=c.rank, reason=c.reason)
            for c in result.candidates
        ],
        excluded=result.excluded,
    )


@router.post(
    "/requests/{request_id}/offers",
    response={201: OfferOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="Offer the session to a trainer; 409 when it overlaps the trainer's time",
)
def offer_create(request: HttpRequest, request_id: DbId, payload: OfferIn):
    offer = services.offer_create(
        request_id=request_id, trainer_id=payload.trainer_id, actor=request.user
    )
    return Status(201, offer)


@router.get(
    "/offers",
    response={200: list[OfferOut]},
    auth=api_auth,
    summary="The signed-in trainer's offers",
)
def offer_list(request: HttpRequest):
    return Offer.objects.filter(trainer__user=request.user).order_by("-created_at")[
        :200
    ]


@router.post(
    "/offers/{offer_id}/accept",
    response={200: SessionOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="The trainer accepts; the session is confirmed and invitations are sent",
)
def offer_accept(request: HttpRequest, offer_id: DbId):
    return SessionOut.of(
        services.offer_accept(offer_id=offer_id, trainer_user=request.user)
    )


@router.post(
    "/offers/{offer_id}/decline",
    response={200: OfferOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="The trainer declines",
)
def offer_decline(request: HttpRequest, offer_id: DbId, payload: DeclineIn):
    return services.offer_decline(
        offer_id=offer_id, trainer_user=request.user, reason=payload.reason
    )


@router.post(
    "/sessions/{session_id}/attendance",
    response={200: SessionOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="The trainer reports attendance",
)
def attendance_report(request: HttpRequest, session_id: DbId, payload: AttendanceIn):
    return SessionOut.of(
        services.attendance_report(
            session_id=session_id,
            trainer_user=request.user,
            attendees=payload.attendees,
        )
    )


@router.post(
    "/sessions/{session_id}/attendance/confirmation",
    response={200: SessionOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="The organization confirms (or corrects) the attendance",
)
def attendance_confirm(request: HttpRequest, session_id: DbId, payload: AttendanceIn):
    session = (
        OutreachSession.objects.filter(
            pk=session_id, request__organization=request.user.organization_id or -1
        )
        .select_related("request")
        .first()
    )
    if session is None:
        raise NotFound()
    return SessionOut.of(
        services.attendance_confirm(
            token=session.request.public_token, attendees=payload.attendees
        )
    )


@router.post(
    "/sessions/{session_id}/report",
    response={200: SessionOut, 400: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="The trainer's lecture report, with the material revision used",
)
def lecture_report(request: HttpRequest, session_id: DbId, payload: ReportIn):
    return SessionOut.of(
        services.lecture_report_submit(
            session_id=session_id,
            trainer_user=request.user,
            report=payload.report,
            material_revision_id=payload.material_revision_id,
        )
    )


@router.get(
    "/payouts.xlsx",
    response={200: None, 400: ProblemOut, 403: ProblemOut, 422: ProblemOut},
    auth=api_auth,
    summary=(
        "Lecture fee payouts of a month as XLSX; `reason` (5+ characters, 내보내기 "
        "사유) is required and goes into the access log. Trainer names are masked "
        "unless `full_names=true` (to pay them), which the log records too"
    ),
)
def payouts_export(
    request: HttpRequest,
    year: Year,
    month: Month,
    reason: Annotated[str, Field(max_length=300)] = "",
    full_names: bool = False,
):
    user = request.user
    services.ensure_staff(user)
    return payout_xlsx_response(
        user=user,
        year=year,
        month=month,
        reason=reason,
        request=request,
        full_names=full_names,
    )
