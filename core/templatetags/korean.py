"""Readable Korean in templates, in one place: dates as 2026년 12월 4일 (금) 14:00, numbers
with separators, and form widgets tied to their hint and error for screen readers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.safestring import SafeString

from core.time import WEEKDAYS

register = template.Library()


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def korean_date(value: dt.date | dt.datetime | None) -> str:
    """2026년 12월 4일 (금)"""
    if not value:
        return ""
    value = _local(value)
    return f"{value.year}년 {value.month}월 {value.day}일 ({WEEKDAYS[value.weekday()]})"


@register.filter
def korean_datetime(value: dt.datetime | None) -> str:
    """2026년 12월 4일 (금) 14:00; a plain date shows without the time."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return korean_date(value)
    value = _local(value)
    return f"{korean_date(value)} {value:%H:%M}"


@register.filter
def number(value: int | float | Decimal | str | None) -> str:
    """400000 → 400,000 (no locale lookup: the site is Korean only)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """The field's widget with aria-describedby naming its hint and its error message,
    and aria-invalid when it has an error (templates/forms/_field.html)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
