"""Outreach demo data for seed_demo: topics, a pool of trainers (the `trainer` account among
them), and requests of the `org` account's organization in several states. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lms.accounts.models import Role, User
from lms.centers.models import District
from lms.outreach import services
from lms.outreach.models import Audience, OutreachRequest
from lms.trainers.models import (
    Qualification,
    RefresherTraining,
    Topic,
    TrainerProfile,
    WeeklyAvailability,
)
from lms.trainers.selectors import SEOUL

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
            data=services.ApplicationData(
                organization_name=org.name,
                organization_kind=org.kind,
                contact_name=org_user.get_full_name(),
                contact_phone="010-0000-0000",
                contact_email=org_user.email,
                participants=25,
                address=org.address or "서울특별시 성북구",
                district_id=org.district_id,
                topic_codes=["labor-law"],
                audience=Audience.WORKERS,
                slots=[(start, start + dt.timedelta(hours=2))],
                accessibility=[],
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
