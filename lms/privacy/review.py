"""The monthly review of the access log (개인정보의 안전성 확보조치 기준 제8조: 접속기록을
월 1회 이상 점검): who opened which personal data in a month, unusual volumes
highlighted, and the reviewer's acknowledgement recorded (and audited).

A day's volume of a staff member is the number of people's records they opened that day
(the sum of `record_count`: an export of 300 rows counts 300). A day is unusual when it is
more than PRIVACY_REVIEW_MEDIAN_FACTOR times that person's median day over the baseline
(the month and the PRIVACY_REVIEW_BASELINE_DAYS before it, active days only, at least
PRIVACY_REVIEW_MIN_BASELINE_DAYS of them), or over PRIVACY_REVIEW_DAILY_THRESHOLD.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.masking import mask_name
from core.problems import Conflict
from lms.privacy.models import AccessLogReview, PersonalDataAccess


@dataclass
class DayVolume:
    day: dt.date
    accesses: int
    records: int
    unusual: bool = False
    why: str = ""


@dataclass
class SubjectLine:
    action: str
    subject: str
    subject_user: str  # masked
    accesses: int
    records: int


@dataclass
class ActorReview:
    actor_username: str
    accesses: int = 0
    records: int = 0
    median: float = 0.0
    days: list[DayVolume] = field(default_factory=list)
    subjects: list[SubjectLine] = field(default_factory=list)

    @property
    def unusual_days(self) -> list[DayVolume]:
        return [d for d in self.days if d.unusual]


@dataclass
class MonthReview:
    month: dt.date
    actors: list[ActorReview]
    acknowledgements: list[AccessLogReview]

    @property
    def unusual_count(self) -> int:
        return sum(len(a.unusual_days) for a in self.actors)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in Seoul."""
    start = dt.datetime(month.year, month.month, 1)
    following = dt.datetime(
        month.year + month.month // 12, month.month % 12 + 1, 1
    )  # fmt: skip
    zone = timezone.get_default_timezone()
    return timezone.make_aware(start, zone), timezone.make_aware(following, zone)


def _daily(rows) -> dict[str, dict[dt.date, tuple[int, int]]]:
    volumes: dict[str, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        volumes[row["actor_username"]][row["day"]] = (row["accesses"], row["records"])
    return volumes


def _day_rows(start: dt.datetime, end: dt.datetime):
    return (
        PersonalDataAccess.objects.filter(at__gte=start, at__lt=end)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
        .values("actor_username", "day")
        .annotate(accesses=Count("id"), records=Sum("record_count"))
        .order_by()
    )


def month_review(*, month: dt.date) -> MonthReview:
    start, end = month_bounds(month)
    baseline_start = start - dt.timedelta(days=settings.PRIVACY_REVIEW_BASELINE_DAYS)
    month_days = _daily(_day_rows(start, end))
    baseline = _daily(_day_rows(baseline_start, end))
    factor = settings.PRIVACY_REVIEW_MEDIAN_FACTOR
    threshold = settings.PRIVACY_REVIEW_DAILY_THRESHOLD
    enough = settings.PRIVACY_REVIEW_MIN_BASELINE_DAYS

    actors: dict[str, ActorReview] = {}
    for username, days in month_days.items():
        volumes = [records for _accesses, records in baseline[username].values()]
        median = statistics.median(volumes)
        review = ActorReview(actor_username=username, median=median)
        for day in sorted(days):
            accesses, records = days[day]
            line = DayVolume(day=day, accesses=accesses, records=records)
            if records > threshold:
                line.unusual = True
                line.why = _("하루 %(n)d건 초과") % {"n": threshold}
            elif len(volumes) >= enough and records > factor * median:
                line.unusual = True
                line.why = _("평소(중앙값 %(median)s건)의 %(factor)s배 초과") % {
                    "median": f"{median:g}",
                    "factor": f"{factor:g}",
                }
            review.days.append(line)
            review.accesses += accesses
            review.records += records
        actors[username] = review

    lines = (
        PersonalDataAccess.objects.filter(at__gte=start, at__lt=end)
        .values("actor_username", "action", "subject", "subject_user__name")
        .annotate(accesses=Count("id"), records=Sum("record_count"))
        .order_by("actor_username", "-records", "subject")
    )
    for line in lines:
        actors[line["actor_username"]].subjects.append(
            SubjectLine(
                action=PersonalDataAccess.Action(line["action"]).label,
                subject=line["subject"],
                subject_user=mask_name(line["subject_user__name"] or ""),
                accesses=line["accesses"],
                records=line["records"],
            )
        )
    ordered = sorted(
        actors.values(),
        key=lambda a: (-len(a.unusual_days), -a.records, a.actor_username),
    )
    acknowledgements = list(
        AccessLogReview.objects.filter(month=start.date()).select_related("reviewer")
    )
    return MonthReview(
        month=start.date(), actors=ordered, acknowledgements=acknowledgements
    )


def review_acknowledge(*, month: dt.date, reviewer, note: str = "") -> AccessLogReview:
    """The reviewer confirms they went through the month: stored, and in the audit trail."""
    review = month_review(month=month)
    try:
        with transaction.atomic():
            acknowledged = AccessLogReview.objects.create(
                month=review.month,
                reviewer=reviewer,
                unusual_count=review.unusual_count,
                note=note.strip()[:500],
            )
            audit.record(
                actor=reviewer,
                action="privacy.access_review.acknowledge",
                subject=acknowledged,
                summary=f"{review.month:%Y-%m} 접속기록 점검 확인 (이상 {review.unusual_count}건)",
                data={
                    "month": f"{review.month:%Y-%m}",
                    "unusual": [
                        {
                            "actor": actor.actor_username,
                            "day": day.day.isoformat(),
                            "records": day.records,
                            "why": day.why,
                        }
                        for actor in review.actors
                        for day in actor.unusual_days
                    ],
                    "actors": len(review.actors),
                    "note": acknowledged.note,
                },
            )
    except IntegrityError:
        raise Conflict(_("이 달의 점검은 이미 확인했습니다.")) from None
    return acknowledged
