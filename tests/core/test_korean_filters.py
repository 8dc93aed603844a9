"""The one place that writes dates and numbers for Korean readers."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from core.templatetags.korean import korean_date, korean_datetime, number


def test_datetime_is_written_in_seoul_time_with_the_weekday():
    utc = dt.datetime(2026, 12, 4, 5, 0, tzinfo=dt.UTC)  # 14:00 in Seoul, a Friday
    assert korean_datetime(utc) == "2026년 12월 4일 (금) 14:00"
    late = dt.datetime(2026, 12, 5, 16, 30, tzinfo=ZoneInfo("UTC"))  # Sunday 01:30
    assert korean_datetime(late) == "2026년 12월 6일 (일) 01:30"


def test_date_alone_and_empty_values():
    assert korean_date(dt.date(2026, 3, 2)) == "2026년 3월 2일 (월)"
    assert korean_datetime(dt.date(2026, 3, 2)) == "2026년 3월 2일 (월)"
    assert korean_date(None) == "" and korean_datetime(None) == ""


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (400000, "400,000"),
        ("1234567", "1,234,567"),
        (Decimal("400000.00"), "400,000"),
        (1234.5, "1,234.5"),
        (0, "0"),
        (None, ""),
        ("없음", "없음"),
    ],
)
def test_numbers_get_separators(value, written):
    assert number(value) == written


def test_filters_load_in_a_template():
    rendered = Template("{% load korean %}{{ fee|number }}원").render(
        Context({"fee": 400000})
    )
    assert rendered == "400,000원"
