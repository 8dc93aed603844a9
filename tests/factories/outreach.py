"""Factories for outreach and the trainer pool, and Seoul's reference data for flushed databases."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools

from django.utils import timezone

from core.time import SEOUL
from lms.accounts.models import Role
from lms.centers.models import Center, District, Region
from lms.outreach.models import Audience, OutreachRequest, PreferredSlot, RequestState
from lms.outreach.services import ApplicationData, request_submit
from lms.trainers.models import (
    Qualification,
    RefresherTraining,
    Topic,
    TrainerProfile,
    WeeklyAvailability,
)
from tests.factories import UserFactory

_seed = importlib.import_module(
    "lms.centers.migrations.0002_seoul_regions_districts_centers"
)
_counter = itertools.count(1)


def seoul_reference_data() -> None:
    """Re-create regions, districts and centers (a `transaction=True` test flushes them)."""
    Center.objects.get_or_create(
        name=_seed.METROPOLITAN_CENTER, defaults={"kind": Center.Kind.METROPOLITAN}
    )
    for order, (region_name, districts) in enumerate(_seed.REGIONS.items(), start=1):
        region, _ = Region.objects.get_or_create(
            name=region_name, defaults={"sort_order": order}
        )
        for name in districts:
            District.objects.get_or_create(name=name, defaults={"region": region})
        Center.objects.get_or_create(
            name=f"{region_name} 노동자종합지원센터",
            defaults={"kind": Center.Kind.REGIONAL, "region": region},
        )


def topic(code: str = "labor-law", name: str = "노동법 기초") -> Topic:
    return Topic.objects.get_or_create(code=code, defaults={"name": name})[0]


def staff_user(*, username: str = "staff1", center: Center | None = None):
    from lms.accounts.services import user_sync_role_groups

    center = center or Center.objects.get(kind=Center.Kind.METROPOLITAN)
    user = UserFactory(username=username, role=Role.STAFF, center=center, name="김직원")
    user_sync_role_groups(user)
    return user


def trainer_profile(
    *,
    username: str | None = None,
    district: str = "성북구",
    topics: list[Topic] | None = None,
    weight: int = 1,
    monthly_cap: int = 8,
    grade: str = TrainerProfile.Grade.REGULAR,
    always_available: bool = True,
    qualification_expires: dt.date | None = None,
    refresher_hours: int = 8,
    languages: list[str] | None = None,
) -> TrainerProfile:
    n = next(_counter)
    user = UserFactory(
        username=username or f"trainer{n}", role=Role.TRAINER, name=f"강사{n}"
    )
    home = District.objects.get(name=district)
    profile = TrainerProfile.objects.create(
        user=user,
        home_district=home,
        weight=weight,
        monthly_cap=monthly_cap,
        grade=grade,
        languages=languages or [],
    )
    profile.regions.add(home.region)
    profile.topics.set(topics or [topic()])
    Qualification.objects.create(
        trainer=profile,
        kind=Qualification.Kind.LABOR_ATTORNEY,
        registration_number=f"NM-{n:05d}",
        expires_on=qualification_expires,
    )
    if refresher_hours:
        RefresherTraining.objects.create(
            trainer=profile,
            title="보수교육",
            completed_on=timezone.localdate() - dt.timedelta(days=30),
            hours=refresher_hours,
        )
    if always_available:
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(
                trainer=profile, weekday=d, start_time=dt.time(0), end_time=dt.time(0)
            )
            for d in range(7)
        )
    return profile


def seoul_time(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SEOUL)


def application(
    *,
    district: str = "성북구",
    starts_at: dt.datetime | None = None,
    hours: int = 2,
    **extra,
) -> ApplicationData:
    start = starts_at or (timezone.now() + dt.timedelta(days=14)).replace(
        minute=0, second=0, microsecond=0
    )
    values = dict(
        organization_name="성북 마을협동조합",
        organization_kind="workplace",
        contact_name="최담당",
        contact_phone="010-1234-5678",
        contact_email="contact@example.org",
        participants=20,
        address="서울특별시 성북구 보문로 1",
        district_id=District.objects.get(name=district).pk,
        topic_codes=[topic().code],
        audience=Audience.WORKERS,
        slots=[(start, start + dt.timedelta(hours=hours))],
        accessibility=[],
    )
    values.update(extra)
    return ApplicationData(**values)


def matching_request(
    *, starts_at: dt.datetime, hours: int = 2, district: str = "성북구", **extra
) -> OutreachRequest:
    """A request already approved and open for matching at `starts_at`, bypassing the queue.

    Used by matching and race tests that start from the matching state; the state machine
    tests walk the real transitions.
    """
    request, _ = request_submit(data=application(district=district, **extra))
    OutreachRequest.objects.filter(pk=request.pk).update(
        state=RequestState.MATCHING,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
    )
    PreferredSlot.objects.filter(request=request).update(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours)
    )
    request.refresh_from_db()
    return request
