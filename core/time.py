"""Seoul time: the time zone every date a person reads or a report counts is in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")

# Monday first, as datetime.weekday() counts: "월" is 0, "일" is 6.
WEEKDAYS = "월화수목금토일"
