"""Outreach demo data for seed_demo: topics, a pool of trainers (the `trainer` account among
them), and requests of the `org` account's organization in several states. The `trainer`
account has an offer waiting, one upcoming session and one past session whose attendance
and lecture report are still to be given. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.time import SEOUL
from lms.accounts.models import Role, User
from lms.centers.models import District
from lms.outreach import services
from lms.outreach.models import Audience, OutreachRequest, PreferredSlot
from lms.trainers.models import (
    Qualification,
    RefresherTraining,
    Topic,
    TrainerProfile,
    WeeklyAvailability,
)

TOPICS = [
    ("labor-law", "노동법 기초"),
    ("harassment", "직장 내 괴롭힘 예방"),
    ("sexual-harassment", "직장 내 성희롱 예방"),
    ("wages", "임금과 근로시간"),
    ("youth-rights", "청소년 노동인권"),
    ("employer-hr", "사업주 인사노무"),
]
POOL = [
    ("trainer-kim", "김강사", "노원구", "senior", ["labor-law", "wages"]),
    ("trainer-lee", "이강사", "마포구", "regular", ["labor-law", "harassment"]),
    ("trainer-choi", "최강사", "관악구", "junior", ["youth-rights", "labor-law"]),
    (
        "trainer-jung",
        "정강사",
        "강남구",
        "regular",
        ["employer-hr", "sexual-harassment"],
    ),
]


def _profile(user: User, district: str, grade: str, codes: list[str]) -> TrainerProfile:
    home = District.objects.get(name=district)
    profile, created = TrainerProfile.objects.get_or_create(
        user=user, defaults={"home_district": home, "grade": grade, "monthly_cap": 8}
    )
    if created:
        profile.regions.add(home.region)
        profile.topics.set(Topic.objects.filter(code__in=codes))
        Qualification.objects.create(
            trainer=profile,
            kind=Qualification.Kind.LABOR_ATTORNEY,
            registration_number=f"DEMO-{user.pk:04d}",
            expires_on=timezone.localdate() + dt.timedelta(days=3 * 365),
        )
        RefresherTraining.objects.create(
            trainer=profile,
            title="2026 강사단 보수교육",
            completed_on=timezone.localdate() - dt.timedelta(days=20),
            hours=8,
        )
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(
                trainer=profile, weekday=d, start_time=dt.time(9), end_time=dt.time(21)
            )
            for d in range(6)
        )
    return profile


def _trainer_session(*, org, org_user, staff, trainer, key: str, start: dt.datetime):
    """A request of the demo organization taken through review, the offer and its
    acceptance to a confirmed session of `trainer` at `start` (which may be past)."""
    applied = min(start, timezone.now()) - dt.timedelta(days=14)
    # Applications are for future dates: a past session is applied for a day ahead, and
    # then dated back as if the request had been made two weeks before it.
    asked = max(start, timezone.now() + dt.timedelta(days=1))
    request, _ = services.request_submit(
        data=_application(
            org, org_user, participants=30, topic="harassment", start=asked
        ),
        idempotency_key=key,
        organization=org,
    )
    PreferredSlot.objects.filter(request=request).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    OutreachRequest.objects.filter(pk=request.pk).update(created_at=applied)
    request.events.update(created_at=applied)
    services.request_review(request_id=request.pk, actor=staff)
    services.request_approve(request_id=request.pk, actor=staff)
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.trainer_profile.pk, actor=staff
    )
    services.offer_accept(offer_id=offer.pk, trainer_user=trainer)
    services.request_confirm(request_id=request.pk, actor=staff)
    return request


def _application(org, org_user, *, participants: int, topic: str, start: dt.datetime):
    """The demo organization's application for one two-hour slot at `start`."""
    return services.ApplicationData(
        organization_name=org.name,
        organization_kind=org.kind,
        contact_name=org_user.get_full_name(),
        contact_phone="010-0000-0000",
        contact_email=org_user.email,
        participants=participants,
        address=org.address or "서울특별시 성북구",
        district_id=org.district_id,
        topic_codes=[topic],
        audience=Audience.WORKERS,
        slots=[(start, start + dt.timedelta(hours=2))],
        accessibility=[],
    )


def seed_outreach_demo() -> None:
    for code, name in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name})
    trainer = User.objects.filter(username="trainer").first()
    if trainer is not None:
        _profile(trainer, "성북구", "senior", ["labor-law", "harassment", "wages"])
    for username, name, district, grade, codes in POOL:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "name": name,
                "role": Role.TRAINER,
                "email": f"{username}@demo.slacademy.kr",
                "password": make_password(None),
            },
        )
        _profile(user, district, grade, codes)
    org_user = User.objects.filter(username="org").first()
    if (
        org_user is None
        or OutreachRequest.objects.filter(
            organization=org_user.organization_id
        ).exists()
    ):
        return
    org = org_user.organization
    staff = User.objects.filter(username="staff").first()
    base = timezone.localdate() + dt.timedelta(days=21)
    for index in range(3):
        day = base + dt.timedelta(days=index * 7)
        start = dt.datetime.combine(day, dt.time(14), tzinfo=SEOUL)
        request, _ = services.request_submit(
            data=_application(
                org, org_user, participants=25, topic="labor-law", start=start
            ),
            idempotency_key=f"demo-org-{index}",
            organization=org,
        )
        if staff is not None and index >= 1:
            services.request_review(request_id=request.pk, actor=staff)
        if staff is not None and index == 2:
            services.request_approve(request_id=request.pk, actor=staff)
            if trainer is not None:
                # The `trainer` account finds an offer waiting in the portal.
                services.offer_create(
                    request_id=request.pk,
                    trainer_id=trainer.trainer_profile.pk,
                    actor=staff,
                )
    if staff is not None and trainer is not None:
        today = timezone.localdate()
        # Weekdays the demo trainer teaches (Monday to Saturday), apart from the
        # days the other demo requests ask for.
        past_day = today - dt.timedelta(days=6)
        while past_day.weekday() == 6:
            past_day -= dt.timedelta(days=1)
        next_day = today + dt.timedelta(days=8)
        while next_day.weekday() == 6:
            next_day += dt.timedelta(days=1)
        _trainer_session(
            org=org,
            org_user=org_user,
            staff=staff,
            trainer=trainer,
            key="demo-org-past",
            start=dt.datetime.combine(past_day, dt.time(10), tzinfo=SEOUL),
        )
        _trainer_session(
            org=org,
            org_user=org_user,
            staff=staff,
            trainer=trainer,
            key="demo-org-upcoming",
            start=dt.datetime.combine(next_day, dt.time(10), tzinfo=SEOUL),
        )
