"""Availability read in Asia/Seoul across day boundaries, and the lecture fee from the rates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from lms.outreach.fees import lecture_fee
from lms.trainers.models import AvailabilityException, WeeklyAvailability
from lms.trainers.selectors import trainer_is_available, trainer_suspension_reasons
from tests.factories.outreach import seoul_time, trainer_profile

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def trainer():
    profile = trainer_profile(always_available=False)
    # Mondays 09:00–12:00 and Fridays 20:00–midnight, Saturdays 00:00–02:00 (Seoul).
    for weekday, start, end in [(0, 9, 12), (4, 20, 0), (5, 0, 2)]:
        WeeklyAvailability.objects.create(
            trainer=profile,
            weekday=weekday,
            start_time=dt.time(start),
            end_time=dt.time(end),
        )
    return profile


def test_a_utc_sunday_evening_is_a_seoul_monday_morning(trainer):
    # 2027-02-28 (Sunday) 00:30 UTC = 2027-03-01 (Monday) 09:30 KST.
    start = dt.datetime(2027, 3, 1, 0, 30, tzinfo=UTC)
    assert trainer_is_available(
        trainer=trainer.__class__.objects.get(pk=trainer.pk),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    sunday_utc_evening = dt.datetime(2027, 2, 28, 23, 0, tzinfo=UTC)  # Monday 08:00 KST
    assert not trainer_is_available(
        trainer=trainer,
        starts_at=sunday_utc_evening,
        ends_at=sunday_utc_evening + dt.timedelta(hours=2),
    )


def test_a_session_across_midnight_needs_both_days(trainer):
    friday_late = seoul_time(2027, 3, 5, 23)
    assert trainer_is_available(
        trainer=trainer,
        starts_at=friday_late,
        ends_at=friday_late + dt.timedelta(hours=2),
    )
    assert not trainer_is_available(
        trainer=trainer,
        starts_at=friday_late,
        ends_at=friday_late + dt.timedelta(hours=4),
    )
    # A dated exception that blocks Saturday removes the part after midnight.
    AvailabilityException.objects.create(trainer=trainer, date=dt.date(2027, 3, 6))
    assert not trainer_is_available(
        trainer=trainer,
        starts_at=friday_late,
        ends_at=friday_late + dt.timedelta(hours=2),
    )


def test_dated_extra_window_and_partial_block(trainer):
    tuesday = seoul_time(2027, 3, 2, 14)
    assert not trainer_is_available(
        trainer=trainer, starts_at=tuesday, ends_at=tuesday + dt.timedelta(hours=1)
    )
    AvailabilityException.objects.create(
        trainer=trainer,
        date=dt.date(2027, 3, 2),
        start_time=dt.time(13),
        end_time=dt.time(16),
        available=True,
    )
    assert trainer_is_available(
        trainer=trainer, starts_at=tuesday, ends_at=tuesday + dt.timedelta(hours=1)
    )
    AvailabilityException.objects.create(
        trainer=trainer,
        date=dt.date(2027, 3, 8),
        start_time=dt.time(11),
        end_time=dt.time(12),
    )
    monday = seoul_time(2027, 3, 8, 9)
    assert trainer_is_available(
        trainer=trainer, starts_at=monday, ends_at=monday + dt.timedelta(hours=2)
    )
    assert not trainer_is_available(
        trainer=trainer, starts_at=monday, ends_at=monday + dt.timedelta(hours=3)
    )


def test_suspension_follows_qualification_expiry_and_refresher_hours():
    profile = trainer_profile(
        qualification_expires=dt.date(2027, 3, 31), refresher_hours=8
    )
    last_valid_day = dt.date(2027, 3, 31)
    assert trainer_suspension_reasons(trainer=profile, on=last_valid_day) == []
    on_expiry = trainer_suspension_reasons(trainer=profile, on=dt.date(2027, 4, 1))
    assert "유효한 자격이 없습니다(만료)." in on_expiry
    today = dt.date.today()
    fresh = trainer_profile(refresher_hours=8)
    assert trainer_suspension_reasons(trainer=fresh, on=today) == []
    short = trainer_profile(refresher_hours=6)
    assert trainer_suspension_reasons(trainer=short, on=today) == [
        "보수교육 이수 시간 부족(최근 1년 6/8시간)."
    ]
    # A year after the training, the hours no longer count.
    assert trainer_suspension_reasons(trainer=fresh, on=today + dt.timedelta(days=340))


RATES = {
    "hourly": {"senior": 200_000, "regular": 150_000, "junior": 100_000},
    "evening_weekend_premium_percent": 20,
    "evening_from_hour": 18,
    "travel": {"same_district": 0, "same_region": 10_000, "elsewhere": 20_000},
}


@override_settings(OUTREACH_FEE_RATES=RATES)
@pytest.mark.parametrize(
    ("start", "hours", "grade", "travel", "fee"),
    [
        (seoul_time(2027, 3, 2, 10), 2, "regular", "same_district", 300_000),
        (seoul_time(2027, 3, 2, 10), 1.5, "senior", "same_region", 310_000),
        # Ends at 19:00 KST: evening premium 20 %.
        (seoul_time(2027, 3, 2, 17), 2, "junior", "elsewhere", 260_000),
        # Saturday (KST) even though it is Friday in UTC.
        (seoul_time(2027, 3, 6, 8), 2, "regular", "same_district", 360_000),
        (seoul_time(2027, 3, 2, 10), 1.25, "regular", "same_district", 225_000),
    ],
)
def test_lecture_fee(start, hours, grade, travel, fee):
    end = start + dt.timedelta(hours=hours)
    assert lecture_fee(starts_at=start, ends_at=end, grade=grade, travel=travel) == fee
