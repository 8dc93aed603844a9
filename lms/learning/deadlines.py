"""Deadlines that other apps set on a learner's courses, shown in 내 강의실.

An employer's statutory assignment (lms.organizations) gives its employees a date by which
a course must be complete. Online learning sits below the apps that set such dates, so it
does not ask them: each registers a provider at start-up, and the dashboard asks every
provider for the user's deadlines. The earliest date per course is the one shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CourseDeadline:
    course_id: int
    date: dt.date
    set_by: str  # who set it, as the learner knows them: "○○ 사업장"


Provider = Callable[[object], Iterable[CourseDeadline]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def deadlines_for(user) -> dict[int, CourseDeadline]:
    earliest: dict[int, CourseDeadline] = {}
    for provider in _providers:
        for deadline in provider(user):
            known = earliest.get(deadline.course_id)
            if known is None or deadline.date < known.date:
                earliest[deadline.course_id] = deadline
    return earliest
