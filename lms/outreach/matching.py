"""Matching a request to trainers: hard filters, then a fair ranking with a reason per candidate.

Fairness: each eligible trainer's share of this month's sessions is weight / total weight;
the candidate furthest below their share (the largest weighted shortfall) ranks first, then
proximity (same district > same region > elsewhere).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from lms.outreach.models import (
    HOLDING_OFFER_STATES,
    Accessibility,
    Offer,
    OfferState,
    OutreachRequest,
)
from lms.trainers.models import TrainerProfile
from lms.trainers.selectors import (
    SEOUL,
    related,
    trainer_is_available,
    trainer_pool,
    trainer_suspension_reasons,
)

PROXIMITY_LABELS = {
    0: "교육 장소와 같은 자치구에 삽니다.",
    1: "교육 장소와 같은 권역에서 활동합니다.",
    2: "다른 권역에서 옵니다.",
}
# How far below (or above) an even split of this month's sessions a trainer may be
# before the reason says they get fewer (or more) than the others.
EVEN_MARGIN = 0.5

# A trainer who already answered an offer of this very request is not offered it again.
ANSWERED_OFFER_REASONS = {
    OfferState.DECLINED: "이 신청의 제안을 거절했습니다.",
    OfferState.EXPIRED: "이 신청의 제안에 기한 안에 답하지 않았습니다.",
    OfferState.WITHDRAWN: "이 신청의 제안이 철회되었습니다(불참 또는 취소).",
    OfferState.OFFERED: "이 신청의 제안을 이미 받아 답을 기다리는 중입니다.",
    OfferState.ACCEPTED: "이 신청의 제안을 이미 수락했습니다.",
}


@dataclass
class Candidate:
    trainer: TrainerProfile
    rank: int = 0
    load: int = 0
    share: float = 0.0
    shortfall: float = 0.0
    proximity: int = 2
    reason: str = ""


@dataclass
class Excluded:
    trainer: TrainerProfile
    reasons: list[str]


@dataclass
class MatchResult:
    candidates: list[Candidate] = field(default_factory=list)
    excluded: dict[int, list[str]] = field(default_factory=dict)
    #: The same exclusions with their trainers, for the staff screen.
    excluded_trainers: list[Excluded] = field(default_factory=list)


def month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = moment.astimezone(SEOUL)
    first = dt.datetime(local.year, local.month, 1, tzinfo=SEOUL)
    following = dt.datetime(
        local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=SEOUL
    )
    return first, following


def blocked_range(starts_at: dt.datetime, ends_at: dt.datetime):
    """The time an offer holds the trainer: the session, plus half the travel buffer
    (OUTREACH_TRAVEL_BUFFER_MINUTES) before and after. The one home of that rule."""
    half = dt.timedelta(minutes=settings.OUTREACH_TRAVEL_BUFFER_MINUTES) / 2
    return starts_at - half, ends_at + half


def hold_fields(starts_at: dt.datetime, ends_at: dt.datetime) -> dict:
    """`Offer(**hold_fields(...))`: the blocked range as the offer's own fields."""
    blocked_from, blocked_until = blocked_range(starts_at, ends_at)
    return {"blocked_from": blocked_from, "blocked_until": blocked_until}


def fairness_sentence(c: Candidate) -> str:
    """This month's load in words a staff member reads at a glance."""
    if c.shortfall >= EVEN_MARGIN:
        return _(
            "이번 달 %(load)s회 강의해 고르게 나눈 몫(약 %(share).0f회)보다 적게 받았습니다."
        ) % {"load": c.load, "share": c.share}
    if c.shortfall <= -EVEN_MARGIN:
        return _(
            "이번 달 %(load)s회 강의해 고르게 나눈 몫(약 %(share).0f회)보다 많이 받았습니다."
        ) % {"load": c.load, "share": c.share}
    return _("이번 달 %(load)s회 강의해 다른 강사들과 고르게 받고 있습니다.") % {
        "load": c.load
    }


def candidates_for(*, request: OutreachRequest) -> MatchResult:
    """Eligible trainers for the request's scheduled time, best first, and why others are out."""
    starts_at, ends_at = request.starts_at, request.ends_at
    blocked_from, blocked_until = blocked_range(starts_at, ends_at)
    month_start, month_end = month_bounds(starts_at)
    topic_ids = {t.pk for t in request.topics.all()}
    district = request.district
    loads = dict(
        Offer.objects.filter(
            state=OfferState.ACCEPTED,
            starts_at__gte=month_start,
            starts_at__lt=month_end,
        )
        .values_list("trainer_id")
        .annotate(n=Count("id"))
        .values_list("trainer_id", "n")
    )
    busy = set(
        Offer.objects.filter(
            state__in=HOLDING_OFFER_STATES,
            blocked_from__lt=blocked_until,
            blocked_until__gt=blocked_from,
        )
        .exclude(request=request)
        .values_list("trainer_id", flat=True)
    )
    answered: dict[int, list[str]] = {}
    for trainer_id, state in Offer.objects.filter(request=request).values_list(
        "trainer_id", "state"
    ):
        reason = _(ANSWERED_OFFER_REASONS[state])
        if reason not in answered.setdefault(trainer_id, []):
            answered[trainer_id].append(reason)
    needs_language = Accessibility.FOREIGN_LANGUAGE in (request.accessibility or [])
    local_date = starts_at.astimezone(SEOUL).date()
    result = MatchResult()
    eligible: list[Candidate] = []
    for trainer in trainer_pool():
        reasons = list(answered.get(trainer.pk, []))
        reasons += trainer_suspension_reasons(trainer=trainer, on=local_date)
        if not topic_ids <= {t.pk for t in related(trainer, "topics")}:
            reasons.append(_("요청 주제를 강의하지 않습니다."))
        if needs_language and request.language not in (trainer.languages or []):
            reasons.append(_("청중의 언어로 강의하지 않습니다."))
        if trainer.pk in busy:
            reasons.append(_("이동 시간을 포함해 겹치는 일정이 있습니다."))
        if loads.get(trainer.pk, 0) >= trainer.monthly_cap:
            reasons.append(_("이번 달 최대 강의 수에 도달했습니다."))
        if any(
            c.organization_id == request.organization_id
            and request.organization_id is not None
            or (
                c.organization_name and c.organization_name == request.organization_name
            )
            for c in related(trainer, "conflicts")
        ):
            reasons.append(_("이해충돌 기관입니다."))
        if not reasons and not trainer_is_available(
            trainer=trainer, starts_at=starts_at, ends_at=ends_at
        ):
            reasons.append(_("가능 시간이 아닙니다."))
        if reasons:
            result.excluded[trainer.pk] = reasons
            result.excluded_trainers.append(Excluded(trainer=trainer, reasons=reasons))
            continue
        region_ids = {r.pk for r in related(trainer, "regions")}
        if trainer.home_district_id == district.pk:
            proximity = 0
        elif district.region_id in region_ids or (
            trainer.home_district.region_id == district.region_id
        ):
            proximity = 1
        else:
            proximity = 2
        eligible.append(
            Candidate(
                trainer=trainer, load=loads.get(trainer.pk, 0), proximity=proximity
            )
        )
    total_weight = sum(c.trainer.weight for c in eligible) or 1
    month_total = sum(c.load for c in eligible) + 1
    for c in eligible:
        c.share = month_total * c.trainer.weight / total_weight
        c.shortfall = c.share - c.load
    eligible.sort(
        key=lambda c: (-round(c.shortfall, 6), c.proximity, c.load, c.trainer.pk)
    )
    for index, c in enumerate(eligible, start=1):
        c.rank = index
        parts = [fairness_sentence(c)]
        if c.trainer.weight > 1:
            parts.append(
                _("배정 가중치가 %(weight)s이라 다른 강사보다 자주 배정합니다.")
                % {"weight": c.trainer.weight}
            )
        parts.append(_(PROXIMITY_LABELS[c.proximity]))
        c.reason = " ".join(parts)
    result.candidates = eligible
    return result
