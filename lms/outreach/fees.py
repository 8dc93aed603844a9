"""The lecture fee (강사료) from the configured rates: hours × grade rate, premium, travel."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from core.time import SEOUL


def travel_class(*, trainer_district, trainer_region_id: int, district) -> str:
    if trainer_district.pk == district.pk:
        return "same_district"
    if trainer_region_id == district.region_id:
        return "same_region"
    return "elsewhere"


def is_evening_or_weekend(starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    rates = settings.OUTREACH_FEE_RATES
    start = starts_at.astimezone(SEOUL)
    end = ends_at.astimezone(SEOUL)
    evening = dt.time(rates["evening_from_hour"])
    return (
        start.weekday() >= 5
        or end.time() > evening
        or start.time() >= evening
        or (end.date() > start.date())
    )


def lecture_fee(
    *, starts_at: dt.datetime, ends_at: dt.datetime, grade: str, travel: str
) -> int:
    """KRW, rounded to the won. Hours count in half hours, rounded half up."""
    rates = settings.OUTREACH_FEE_RATES
    minutes = Decimal((ends_at - starts_at).total_seconds()) / 60
    half_hours = (minutes / 30).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    base = Decimal(rates["hourly"][grade]) * half_hours / 2
    if is_evening_or_weekend(starts_at, ends_at):
        base += base * Decimal(rates["evening_weekend_premium_percent"]) / 100
    total = base + Decimal(rates["travel"][travel])
    return int(total.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def session_fee(
    *, trainer, district, starts_at: dt.datetime, ends_at: dt.datetime
) -> int:
    """The fee `trainer` earns for a session in `district`: what an offer promises and
    what the session records when it is accepted."""
    return lecture_fee(
        starts_at=starts_at,
        ends_at=ends_at,
        grade=trainer.grade,
        travel=travel_class(
            trainer_district=trainer.home_district,
            trainer_region_id=trainer.home_district.region_id,
            district=district,
        ),
    )
