"""Bounded numbers and dates for the API's and the forms' edges.

Every integer a client sends is bounded, so a 30-digit id or offset answers 422 at the
edge instead of reaching the database (SQLite and PostgreSQL store 64-bit integers).
Every date a client sends is bounded too: a deadline of 9999-12-31 is nobody's deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, Strict

MAX_DB_INTEGER = 2**63 - 1
# The most rows any list operation skips; a deeper page is a search, not a scroll.
MAX_OFFSET = 1_000_000
FIRST_YEAR = 2000
LAST_YEAR = 2100
# How far ahead a date may lie: deadlines, availability, preferred slots.
MAX_YEARS_AHEAD = 5

DbId = Annotated[int, Field(ge=1, le=MAX_DB_INTEGER)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Month = Annotated[int, Field(ge=1, le=12)]
Quarter = Annotated[int, Field(ge=1, le=4)]
# S3 multipart uploads number their parts 1..10,000.
PartNumber = Annotated[int, Field(ge=1, le=10_000)]

# A number in a JSON body is a JSON number: "5" and true answer 422 instead of being read
# as 5 and 1 (pydantic's lax mode). Paths and query strings stay lax: they are text.
BodyInt = Annotated[int, Strict()]
BodyFloat = Annotated[float, Strict()]
BodyId = Annotated[DbId, Strict()]
BodyYear = Annotated[Year, Strict()]


def latest_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def earliest_date() -> dt.date:
    return dt.date(FIRST_YEAR, 1, 1)


def date_in_range_message() -> str:
    return _("날짜는 %(first)s부터 %(last)s 사이여야 합니다.") % {
        "first": earliest_date().isoformat(),
        "last": latest_date().isoformat(),
    }


def date_in_range(value: dt.date | dt.datetime) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return earliest_date() <= day <= latest_date()


def _check_date(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if not date_in_range(value):
        raise ValueError(date_in_range_message())
    return value


BoundedDate = Annotated[dt.date, AfterValidator(_check_date)]
BoundedDateTime = Annotated[dt.datetime, AfterValidator(_check_date)]


def validate_bounded_date(value: dt.date | dt.datetime | None) -> None:
    """A Django form/model validator with the same rule."""
    if value is None:
        return
    try:
        _check_date(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="date_out_of_range") from exc
