"""Ranking 300 trainers for an outreach request with five years of history.

    .venv/bin/python benchmarks/matching.py [--trainers 300] [--years 5] [--quick]

A fresh PostgreSQL database with `--trainers` trainer profiles (districts, regions,
topics, qualifications, refresher training, weekly availability, a few dated
exceptions) and `--years` of past requests, offers (accepted and declined) and sessions,
about one session per trainer every ten days, plus this month's load. The figure is the
median time of `candidates_for(request=...)` (lms/outreach/matching.py); the baseline
is the bare fetch of the trainer pool with everything it prefetches. Target <= 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

SESSION_EVERY_DAYS = 10


def build(trainers: int, years: int) -> object:
    from django.utils import timezone

    from lms.centers.models import District
    from lms.outreach.models import (
        Offer,
        OfferState,
        OutreachRequest,
        OutreachSession,
        RequestState,
    )
    from lms.trainers.models import AvailabilityException
    from tests.factories.outreach import matching_request, topic, trainer_profile

    rng = random.Random(8)  # noqa: S311 - reproducible test data, not secrets
    districts = list(District.objects.values_list("name", flat=True))
    topics = [
        topic(),
        topic("safety", "산업안전"),
        topic("harassment", "직장 내 괴롭힘 예방"),
        topic("wages", "임금과 퇴직금"),
    ]
    profiles = []
    for i in range(trainers):
        chosen = [topics[0], *rng.sample(topics[1:], rng.randint(0, 3))]
        profiles.append(
            trainer_profile(
                username=f"trainer{i}",
                district=rng.choice(districts),
                topics=chosen,
                weight=rng.choice([1, 1, 2, 3]),
                monthly_cap=rng.choice([4, 8, 12]),
                languages=["en"] if i % 7 == 0 else [],
            )
        )
    today = timezone.localdate()
    AvailabilityException.objects.bulk_create(
        AvailabilityException(
            trainer=p, date=today + dt.timedelta(days=rng.randint(1, 60))
        )
        for p in profiles
        for _ in range(3)
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    target = (now + dt.timedelta(days=14)).replace(hour=5)  # 14:00 in Seoul
    request = matching_request(starts_at=target, hours=2)
    template = {
        f.attname: getattr(request, f.attname)
        for f in OutreachRequest._meta.concrete_fields
        if f.attname not in {"id", "public_token", "idempotency_key"}
    }
    history = []
    day = now - dt.timedelta(days=365 * years)
    trainer_cycle = 0
    # Past sessions and this month's, about one per trainer every ten days.
    while day < target - dt.timedelta(days=1):
        for _ in range(max(1, trainers // SESSION_EVERY_DAYS)):
            profile = profiles[trainer_cycle % len(profiles)]
            trainer_cycle += 1
            start = day.replace(hour=rng.choice([0, 1, 5, 6]))  # Seoul 09-15h
            history.append((profile, start))
        day += dt.timedelta(days=1)
    created = 0
    batch = 5000
    for offset in range(0, len(history), batch):
        chunk = history[offset : offset + batch]
        requests = OutreachRequest.objects.bulk_create(
            OutreachRequest(
                **{
                    **template,
                    "state": RequestState.CLOSED,
                    "starts_at": start,
                    "ends_at": start + dt.timedelta(hours=2),
                    "created_at": start - dt.timedelta(days=30),
                },
                idempotency_key=uuid.uuid4().hex,
            )
            for _profile, start in chunk
        )
        offers, declined = [], []
        for req, (profile, start) in zip(requests, chunk, strict=True):
            values = {
                "request": req,
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
                "blocked_from": start - dt.timedelta(minutes=30),
                "blocked_until": start + dt.timedelta(hours=2, minutes=30),
                "expires_at": start - dt.timedelta(days=20),
                "created_at": start - dt.timedelta(days=21),
            }
            offers.append(Offer(trainer=profile, state=OfferState.ACCEPTED, **values))
            other = profiles[rng.randrange(len(profiles))]
            if other is not profile and rng.random() < 0.3:
                declined.append(
                    Offer(trainer=other, state=OfferState.DECLINED, **values)
                )
        offers = Offer.objects.bulk_create(offers)
        Offer.objects.bulk_create(declined)
        OutreachSession.objects.bulk_create(
            OutreachSession(
                request=o.request,
                offer=o,
                trainer_id=o.trainer_id,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                fee_amount=300_000,
            )
            for o in offers
        )
        created += len(offers) + len(declined)
    return request, len(history), created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainers", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="1 year of history")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.years, args.repeat = 1, 7

    url = _common.database_url("matching")
    migrate_s = _common.django_setup(url)
    from django.test import override_settings

    started = time.perf_counter()
    # The factories hash a password per trainer; the production hasher would take
    # minutes for 300 accounts that never log in.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        request, sessions, offers = build(args.trainers, args.years)
    build_s = time.perf_counter() - started

    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from lms.outreach.matching import candidates_for
    from lms.trainers.selectors import trainer_pool

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ranking_ms = _common.median_ms(
        lambda: candidates_for(request=request), repeat=args.repeat, warmup=2
    )
    pool_ms = _common.median_ms(
        lambda: list(trainer_pool()), repeat=args.repeat, warmup=2
    )
    with CaptureQueriesContext(connection) as queries:
        result = candidates_for(request=request)
    connections.close_all()
    if not args.keep_db:
        _common.database_drop(url)
    print(
        f"set-up: migrate {migrate_s:.1f} s, data {build_s:.1f} s:"
        f" {args.trainers} trainers, {sessions} sessions, {offers} offers"
        f" over {args.years} years"
    )
    _common.report(
        f"matching: rank {args.trainers} trainers",
        value=ranking_ms,
        unit="ms",
        baseline=pool_ms,
        target="<= 100 ms",
        met=ranking_ms <= 100,
        notes=(
            f"median of {args.repeat}; {len(result.candidates)} ranked,"
            f" {len(result.excluded)} excluded; {len(queries.captured_queries)}"
            f" queries; baseline = fetching the trainer pool with its prefetches;"
            f" {sessions} sessions / {offers} offers of history"
        ),
    )


if __name__ == "__main__":
    main()
