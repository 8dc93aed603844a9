"""Seoul time: the time zone every date a person reads or a report counts is in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
