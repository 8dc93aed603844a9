"""PostgreSQL with real threads: of 20 concurrent offers or acceptances overlapping for one
trainer, exactly one succeeds and the others answer 409; ten rounds."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from core.problems import Conflict
from lms.outreach import services
from lms.outreach.matching import hold_fields
from lms.outreach.models import Offer, OfferState
from tests.conftest import require_service
from tests.factories.outreach import (
    matching_request,
    seoul_reference_data,
    staff_user,
    trainer_profile,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
THREADS = 20
ROUNDS = 10


def _run_concurrently(calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we count
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def pool():
    require_service("DATABASE_URL", "the race test (PostgreSQL)")
    assert connection.vendor == "postgresql"
    seoul_reference_data()
    return staff_user(), trainer_profile()


def test_twenty_overlapping_offers_to_one_trainer_exactly_one_wins(pool):
    staff, trainer = pool
    base = timezone.now() + dt.timedelta(days=5)
    for round_no in range(ROUNDS):
        start = base + dt.timedelta(days=round_no)
        # Twenty requests that pairwise overlap: 2-hour sessions 5 minutes apart.
        requests = [
            matching_request(starts_at=start + dt.timedelta(minutes=5 * i))
            for i in range(THREADS)
        ]
        results = _run_concurrently(
            [
                lambda r=r: services.offer_create(
                    request_id=r.pk, trainer_id=trainer.pk, actor=staff
                )
                for r in requests
            ]
        )
        wins = [r for r in results if isinstance(r, Offer)]
        conflicts = [r for r in results if isinstance(r, Conflict)]
        assert len(wins) == 1, results
        assert len(conflicts) == THREADS - 1, results
        assert all(c.status == 409 for c in conflicts)
        assert (
            Offer.objects.filter(
                trainer=trainer, state=OfferState.OFFERED, request__in=requests
            ).count()
            == 1
        )


def test_twenty_accepts_of_overlapping_offers_exactly_one_wins(pool):
    """Two overlapping offers cannot coexist (the constraint covers open offers), so the
    accepting race is twenty concurrent acceptances (double clicks, two devices) of one
    offer: one session, nineteen 409s."""
    staff, trainer = pool
    base = timezone.now() + dt.timedelta(days=30)
    for round_no in range(ROUNDS):
        request = matching_request(starts_at=base + dt.timedelta(days=round_no))
        offer = services.offer_create(
            request_id=request.pk, trainer_id=trainer.pk, actor=staff
        )
        results = _run_concurrently(
            [
                lambda offer_id=offer.pk: services.offer_accept(
                    offer_id=offer_id, trainer_user=trainer.user
                )
            ]
            * THREADS
        )
        wins = [r for r in results if not isinstance(r, Exception)]
        conflicts = [r for r in results if isinstance(r, Conflict)]
        assert len(wins) == 1, results
        assert len(conflicts) == THREADS - 1, results


def test_the_database_refuses_an_overlap_that_skips_the_service(pool):
    from django.db import IntegrityError, transaction

    staff, trainer = pool
    start = timezone.now() + dt.timedelta(days=60)
    first = matching_request(starts_at=start)
    second = matching_request(starts_at=start + dt.timedelta(minutes=150))
    services.offer_create(request_id=first.pk, trainer_id=trainer.pk, actor=staff)
    # 150 minutes after a 2-hour session leaves 30 minutes: less than the 60-minute buffer.
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            request=second,
            trainer=trainer,
            starts_at=second.starts_at,
            ends_at=second.ends_at,
            **hold_fields(second.starts_at, second.ends_at),
            expires_at=start,
        )
