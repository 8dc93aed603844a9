"""Matching over a generated pool of 300 trainers: filters hold, ranking is fair, reasons right."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from core.problems import Conflict
from lms.accounts.models import Organization
from lms.outreach import services
from lms.outreach.matching import PROXIMITY_LABELS, candidates_for
from lms.outreach.models import Accessibility, OutreachSession
from lms.trainers.models import (
    AvailabilityException,
    ConflictOfInterest,
    Qualification,
    TrainerProfile,
    WeeklyAvailability,
)
from tests.factories.outreach import (
    matching_request,
    seoul_time,
    staff_user,
    topic,
    trainer_profile,
)

pytestmark = pytest.mark.django_db
DISTRICTS = ["성북구", "노원구", "강남구", "마포구", "관악구", "종로구"]


def _bulk_pool(size: int, *, law, harassment) -> list[TrainerProfile]:
    rng = random.Random(7)
    pool = []
    for i in range(size):
        pool.append(
            trainer_profile(
                district=DISTRICTS[i % len(DISTRICTS)],
                topics=[law, harassment] if i % 3 else [law],
                weight=rng.choice([1, 1, 2, 3]),
                monthly_cap=rng.choice([1, 2, 3]),
            )
        )
    return pool


@pytest.mark.slow
def test_pool_of_300_filters_hold_and_a_month_is_spread_fairly(
    django_assert_max_num_queries,
):
    law = topic("labor-law", "노동법 기초")
    harassment = topic("harassment", "직장 내 괴롭힘")
    pool = _bulk_pool(300, law=law, harassment=harassment)
    staff = staff_user()
    # Filters: one expired qualification, one missing refresher hours, one unavailable.
    expired, lapsed, away, conflicted = pool[1], pool[2], pool[4], pool[5]
    Qualification.objects.filter(trainer=expired).update(expires_on=dt.date(2026, 1, 1))
    lapsed.refresher_trainings.update(hours=2)
    month = (2027, 3)
    AvailabilityException.objects.create(trainer=away, date=dt.date(2027, 3, 2))
    org = Organization.objects.create(name="성북 마을협동조합", kind="workplace")
    ConflictOfInterest.objects.create(trainer=conflicted, organization=org)

    first = matching_request(starts_at=seoul_time(*month, 2, 10))
    first.organization = org
    first.save()
    first.topics.set([harassment])
    with django_assert_max_num_queries(15):
        result = candidates_for(request=first)
    ids = {c.trainer.pk for c in result.candidates}
    assert (
        expired.pk not in ids
        and "유효한 자격이 없습니다(만료)." in result.excluded[expired.pk]
    )
    assert lapsed.pk not in ids and any(
        "보수교육" in r for r in result.excluded[lapsed.pk]
    )
    assert result.excluded[away.pk] == ["가능 시간이 아닙니다."]
    assert result.excluded[conflicted.pk] == ["이해충돌 기관입니다."]
    assert pool[3].pk not in ids  # teaches labor law only
    assert "요청 주제를 강의하지 않습니다." in result.excluded[pool[3].pk]
    assert len(ids) + len(result.excluded) == 300
    # With no load yet, the heaviest weight leads; same district breaks ties.
    top = result.candidates[0]
    assert top.trainer.weight == max(c.trainer.weight for c in result.candidates)
    assert top.reason.startswith("이번 달 0회 강의해")
    assert (f"가중치가 {top.trainer.weight}이" in top.reason) == (
        top.trainer.weight > 1
    )
    assert top.reason.endswith(PROXIMITY_LABELS[0]) == (
        top.trainer.home_district_id == first.district_id
    )

    # A simulated month: 60 sessions of a topic 20 of the 300 teach (weights 1–3, cap 5;
    # one heavy trainer capped at 1), at times that never overlap for one trainer.
    wages = topic("wages", "임금과 근로시간")
    teachers = pool[::15]
    for i, trainer in enumerate(teachers):
        trainer.topics.add(wages)
        TrainerProfile.objects.filter(pk=trainer.pk).update(
            weight=3 if i == 0 else 1 + i % 3, monthly_cap=1 if i == 0 else 5
        )
    capped = teachers[0]
    for i in range(60):
        start = seoul_time(*month, 1 + i // 3, 9 + 4 * (i % 3))
        request = matching_request(starts_at=start, district=DISTRICTS[i % 6])
        request.topics.set([wages])
        best = candidates_for(request=request).candidates[0]
        offer = services.offer_create(
            request_id=request.pk, trainer_id=best.trainer.pk, actor=staff
        )
        services.offer_accept(offer_id=offer.pk, trainer_user=best.trainer.user)
        services.request_confirm(request_id=request.pk, actor=staff)
    load = Counter(OutreachSession.objects.values_list("trainer_id", flat=True))
    assert sum(load.values()) == 60
    assert set(load) <= {t.pk for t in teachers} - {expired.pk, lapsed.pk}
    assert load[capped.pk] == 1
    others = [TrainerProfile.objects.get(pk=t.pk) for t in teachers[1:]]
    others = [t for t in others if t.pk not in (expired.pk, lapsed.pk)]
    total_weight = sum(t.weight for t in others)
    for trainer in others:
        got = load.get(trainer.pk, 0)
        fair = 59 * trainer.weight / total_weight
        assert got <= trainer.monthly_cap
        # Within one session of the weighted share (or held at the cap).
        assert abs(got - min(fair, trainer.monthly_cap)) <= 1, (
            trainer.weight,
            got,
            fair,
        )


def test_overlap_with_travel_buffer_is_refused_by_the_service_on_any_database():
    staff = staff_user()
    trainer = trainer_profile()
    start = timezone.now() + dt.timedelta(days=10)
    first = matching_request(starts_at=start)
    close = matching_request(starts_at=start + dt.timedelta(minutes=150))
    far = matching_request(starts_at=start + dt.timedelta(minutes=180))
    services.offer_create(request_id=first.pk, trainer_id=trainer.pk, actor=staff)
    with pytest.raises(Conflict) as refused:
        services.offer_create(request_id=close.pk, trainer_id=trainer.pk, actor=staff)
    assert refused.value.status == 409
    # Exactly the buffer (60 minutes) after the 2-hour session is fine.
    services.offer_create(request_id=far.pk, trainer_id=trainer.pk, actor=staff)
    # And the filter already leaves the trainer out of the close request's candidates.
    assert trainer.pk in candidates_for(request=close).excluded


def test_foreign_language_audience_needs_a_trainer_who_speaks_it():
    speaks = trainer_profile(languages=["vi"])
    korean_only = trainer_profile()
    request = matching_request(
        starts_at=timezone.now() + dt.timedelta(days=3),
        accessibility=[Accessibility.FOREIGN_LANGUAGE],
        language="vi",
    )
    ids = [c.trainer.pk for c in candidates_for(request=request).candidates]
    assert ids == [speaks.pk]
    assert korean_only.pk in candidates_for(request=request).excluded


def test_weekly_window_is_required():
    trainer = trainer_profile(always_available=False)
    WeeklyAvailability.objects.create(
        trainer=trainer, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
    )
    monday = matching_request(starts_at=seoul_time(2027, 3, 1, 10))
    tuesday = matching_request(starts_at=seoul_time(2027, 3, 2, 10))
    assert [c.trainer.pk for c in candidates_for(request=monday).candidates] == [
        trainer.pk
    ]
    assert candidates_for(request=tuesday).candidates == []


def test_a_suspended_trainer_cannot_be_offered_even_directly():
    staff = staff_user()
    lapsed = trainer_profile(refresher_hours=0)
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(Conflict) as refused:
        services.offer_create(request_id=request.pk, trainer_id=lapsed.pk, actor=staff)
    assert "보수교육 이수 시간 부족" in refused.value.detail
    assert not request.offers.exists()
