"""The report's queries do not grow with the records: a fixed, small number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.courses import Category
from lms.outreach.models import Audience
from lms.reports.selectors import Period, education_report
from tests.factories.learning import course_page
from tests.factories.outreach import seoul_time, trainer_profile
from tests.factories.reports import (
    answers,
    delivered_session,
    enrollment,
    learner,
    outreach_request,
    regional_center,
)

REGIONS = [
    ("동북권", "성북구"),
    ("도심권", "마포구"),
    ("동남권", "강남구"),
    ("서남권", "관악구"),
]
# The report's queries: requests and sessions by quarter (2), online by quarter (2),
# 5 outreach breakdowns × 2, 4 online breakdowns × 2, the course rows behind the two
# course breakdowns' answers (2), trainer load (1).
QUERY_BUDGET = 25


def build_activity(scale: int, *, offset: int = 0) -> None:
    """`scale` sessions and enrollments in every region and quarter of 2026."""
    trainers = [
        trainer_profile(username=f"load-{offset}-{i}") for i in range(2 + scale)
    ]
    courses = [
        course_page(lessons=0, category=Category.LABOR_LAW),
        course_page(lessons=0, category=Category.STATUTORY, audience="workplace"),
    ]
    n = 0
    for quarter in range(4):
        for region, district in REGIONS:
            center = regional_center(region)
            for i in range(scale):
                n += 1
                day = seoul_time(2026, 3 * quarter + 1, 1 + i, 9) + dt.timedelta(
                    hours=3 * (n % 4), days=offset
                )
                session = delivered_session(
                    trainer=trainers[n % len(trainers)],
                    starts_at=day,
                    hours=2,
                    reported=10 + n,
                    center=center,
                    district=district,
                    created_at=day - dt.timedelta(days=1),
                    organization_name=f"기관 {offset}-{n}",
                    audience=Audience.CITIZENS if n % 2 else Audience.WORKERS,
                )
                answers(session, 1 + n % 5, 5)
                outreach_request(center=center, district=district, created_at=day)
                enrollment(
                    user=learner(
                        f"q-{offset}-{n}", district=district if n % 3 else None
                    ),
                    course=courses[n % 2],
                    enrolled_at=day,
                    completed_at=day + dt.timedelta(days=3) if n % 2 else None,
                    survey_score=1 + n % 5,
                )


def _queries_of_report() -> int:
    education_report(period=Period(2026), center=None)  # content types cached
    with CaptureQueriesContext(connection) as captured:
        report = education_report(period=Period(2026), center=None)
    assert report["outreach"]["sessions_delivered"] > 0
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_report_takes_the_same_few_queries_for_four_times_the_records():
    build_activity(1)
    small = _queries_of_report()
    build_activity(3, offset=1)  # four times the records in all
    large = _queries_of_report()

    assert small == large
    assert large <= QUERY_BUDGET


@pytest.mark.django_db
def test_the_api_answer_takes_the_same_queries_too(client, superuser):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    build_activity(1)
    client.get("/api/v1/reports/education?year=2026")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/reports/education?year=2026")
    build_activity(3, offset=1)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/api/v1/reports/education?year=2026")

    assert response.json()["outreach"]["sessions_delivered"] == 64
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(large.captured_queries) <= QUERY_BUDGET + 5  # session and user
