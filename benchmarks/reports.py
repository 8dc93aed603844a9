"""The yearly education report over a large year of records.

    .venv/bin/python benchmarks/reports.py [--enrollments 100000] [--progress 1000000]
                                           [--sessions 5000] [--quick]

A fresh PostgreSQL database (DATABASE_URL with `_reports` appended) gets, by bulk_create:
`--enrollments` online enrollments (four courses, learners of every region, 40 %
completed with a certificate, a course answer from each completer), `--progress` lesson
progress rows spread over them, and `--sessions` delivered outreach sessions in every
center, region and quarter with ten satisfaction answers each, plus their requests and
offers. The figure is the median time of `education_report()` for the whole year and
all centers (lms/reports/selectors.py); the baseline, measured in the same run, is a
plain `SELECT count(*)` over the enrollments table. Target <= 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

YEAR = 2026
COURSES = 4
BATCH = 10_000
TRAINERS = 100


def _batched(items, size: int = BATCH):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _moment(rng: random.Random, start: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(seconds=rng.randrange(365 * 24 * 3600))


def build_online(rng, *, enrollments: int, progress: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType

    from cms.courses import Category
    from core.time import SEOUL
    from lms.accounts.models import Organization, User
    from lms.centers.models import District
    from lms.learning.models import Certificate, Enrollment, LessonProgress
    from lms.organizations.models import Employee
    from lms.surveys.models import SurveyResponse
    from tests.factories.learning import course_page

    start = dt.datetime(YEAR, 1, 1, tzinfo=SEOUL)
    lessons_per_course = max(1, -(-progress // enrollments))
    categories = [Category.LABOR_LAW, Category.STATUTORY, Category.EMPLOYER]
    courses = [
        course_page(lessons=lessons_per_course, category=categories[i % 3])
        for i in range(COURSES)
    ]
    lessons = {
        course.pk: list(course.get_children().values_list("pk", flat=True))
        for course in courses
    }
    learners = -(-enrollments // COURSES)
    unusable = make_password(None)
    for chunk in _batched(range(learners)):
        User.objects.bulk_create(
            User(username=f"bench-learner-{i}", password=unusable, name="학습자")
            for i in chunk
        )
    users = list(
        User.objects.filter(username__startswith="bench-learner-").values_list(
            "pk", flat=True
        )
    )
    districts = list(District.objects.all())
    organizations = Organization.objects.bulk_create(
        Organization(name=f"사업장 {i}", kind="workplace", district=districts[i % 25])
        for i in range(500)
    )
    Employee.objects.bulk_create(
        Employee(organization=organizations[i % 500], user_id=user)
        for i, user in enumerate(users)
        if i % 3
    )
    rows = ((user, course) for user in users for course in courses)
    made = 0
    course_type = ContentType.objects.get_for_model(courses[0])
    progress_left = progress
    for chunk in _batched(rows):
        chunk = chunk[: enrollments - made]
        if not chunk:
            break
        batch = []
        for user, course in chunk:
            enrolled = _moment(rng, start)
            completed = (
                enrolled + dt.timedelta(days=rng.randint(1, 60))
                if rng.random() < 0.4
                else None
            )
            batch.append(
                Enrollment(
                    user_id=user,
                    course=course,
                    enrolled_at=enrolled,
                    completed_at=completed,
                )
            )
        batch = Enrollment.objects.bulk_create(batch)
        made += len(batch)
        done = [e for e in batch if e.completed_at]
        Certificate.objects.bulk_create(
            Certificate(
                enrollment=e,
                number=f"B{e.pk:010d}",
                learner_name="학습자",
                course_title="강의",
                issued_at=e.completed_at,
            )
            for e in done
        )
        SurveyResponse.objects.bulk_create(
            SurveyResponse(
                subject_type=course_type,
                subject_id=str(e.course_id),
                respondent_id=e.user_id,
                score=rng.randint(3, 5),
                created_at=e.completed_at,
            )
            for e in done
        )
        progress_rows = []
        for e in batch:
            for lesson in lessons[e.course_id]:
                if progress_left <= 0:
                    break
                progress_left -= 1
                progress_rows.append(
                    LessonProgress(
                        user_id=e.user_id,
                        lesson_id=lesson,
                        enrollment=e,
                        watched_seconds=60,
                        credited_seconds=60,
                    )
                )
        for rows_chunk in _batched(progress_rows):
            LessonProgress.objects.bulk_create(rows_chunk)


def build_outreach(rng, *, sessions: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType

    from core.time import SEOUL
    from lms.accounts.models import Role, User
    from lms.centers.models import Center, District
    from lms.outreach.matching import hold_fields
    from lms.outreach.models import (
        Audience,
        Offer,
        OfferState,
        OutreachRequest,
        OutreachSession,
        RequestState,
    )
    from lms.surveys.models import SurveyResponse
    from lms.trainers.models import TrainerProfile
    from tests.factories.outreach import topic

    districts = list(District.objects.select_related("region"))
    centers = {c.region_id: c for c in Center.objects.filter(kind=Center.Kind.REGIONAL)}
    topics = [topic(), topic("harassment", "직장 내 괴롭힘 예방")]
    trainer_users = User.objects.bulk_create(
        User(
            username=f"bench-trainer-{i}",
            password=make_password(None),
            role=Role.TRAINER,
            name="강사",
        )
        for i in range(TRAINERS)
    )
    trainers = TrainerProfile.objects.bulk_create(
        TrainerProfile(user=u, home_district=districts[i % 25])
        for i, u in enumerate(trainer_users)
    )
    start = dt.datetime(YEAR, 1, 1, 9, tzinfo=SEOUL)
    session_type = ContentType.objects.get_for_model(OutreachSession)
    audiences = [a.value for a in Audience]
    kinds = ["workplace", "school", "community", "union", "public"]
    for chunk in _batched(range(sessions), 2_000):
        plan = []
        for i in range(chunk[0], chunk[-1] + 1):
            # One session a week per trainer: never two holds of one trainer at once.
            begins = start + dt.timedelta(
                days=(i // TRAINERS) * 7 % 364, hours=(i // TRAINERS) // 52 * 3
            )
            plan.append((i, trainers[i % TRAINERS], begins, districts[i % 25]))
        requests = OutreachRequest.objects.bulk_create(
            OutreachRequest(
                organization_name=f"기관 {i % 1500}",
                organization_kind=kinds[i % len(kinds)],
                contact_name="담당자",
                contact_phone="010-0000-0000",
                contact_email="contact@example.org",
                participants=20,
                address="서울특별시",
                district=district,
                center=centers[district.region_id],
                audience=audiences[i % len(audiences)],
                state=RequestState.REPORTED,
                starts_at=begins,
                ends_at=begins + dt.timedelta(hours=2),
                created_at=begins - dt.timedelta(days=20),
            )
            for i, _trainer, begins, district in plan
        )
        OutreachRequest.topics.through.objects.bulk_create(
            OutreachRequest.topics.through(
                outreachrequest_id=r.pk, topic_id=topics[n % 2].pk
            )
            for n, r in enumerate(requests)
        )
        offers = Offer.objects.bulk_create(
            Offer(
                request=r,
                trainer=trainer,
                state=OfferState.ACCEPTED,
                starts_at=begins,
                ends_at=begins + dt.timedelta(hours=2),
                **hold_fields(begins, begins + dt.timedelta(hours=2)),
                expires_at=begins - dt.timedelta(days=10),
            )
            for r, (_i, trainer, begins, _d) in zip(requests, plan, strict=True)
        )
        made = OutreachSession.objects.bulk_create(
            OutreachSession(
                request=o.request,
                offer=o,
                trainer_id=o.trainer_id,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                attendees_reported=rng.randint(10, 60),
                attendees_confirmed=rng.randint(10, 60),
            )
            for o in offers
        )
        SurveyResponse.objects.bulk_create(
            SurveyResponse(
                subject_type=session_type,
                subject_id=str(s.pk),
                device_key=f"bench-{s.pk}-{k}",
                score=rng.randint(3, 5),
                created_at=s.ends_at,
            )
            for s in made
            for k in range(10)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--progress", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="a twentieth of the data")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.enrollments, args.progress, args.sessions = 5_000, 50_000, 250
        args.repeat = 3

    url = _common.database_url("reports")
    migrate_s = _common.django_setup(url)
    started = time.perf_counter()
    rng = random.Random(6)  # noqa: S311 - reproducible test data, not secrets
    build_online(rng, enrollments=args.enrollments, progress=args.progress)
    build_outreach(rng, sessions=args.sessions)
    build_s = time.perf_counter() - started

    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from lms.learning.models import Enrollment, LessonProgress
    from lms.reports.selectors import Period, education_report

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = (
        Enrollment.objects.count(),
        LessonProgress.objects.count(),
    )

    def count_enrollments():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM learning_enrollment")
            return cursor.fetchone()

    period = Period(year=YEAR)
    report_ms = _common.median_ms(
        lambda: education_report(period=period, center=None),
        repeat=args.repeat,
        warmup=1,
    )
    baseline_ms = _common.median_ms(count_enrollments, repeat=args.repeat, warmup=1)
    with CaptureQueriesContext(connection) as queries:
        report = education_report(period=period, center=None)
    connections.close_all()
    if not args.keep_db:
        _common.database_drop(url)
    print(
        f"set-up: migrate {migrate_s:.1f} s, data {build_s:.1f} s:"
        f" {counts[0]} enrollments, {counts[1]} lesson progress rows,"
        f" {report['outreach']['sessions_delivered']} sessions"
    )
    print("  " + " / ".join(report["headlines"]))
    _common.report(
        "reports: yearly education report",
        value=report_ms,
        unit="ms",
        baseline=baseline_ms,
        target="<= 2000 ms (2 s)",
        met=report_ms <= 2000,
        notes=(
            f"median of {args.repeat}; {len(queries.captured_queries)} queries;"
            f" baseline = SELECT count(*) over {counts[0]} enrollments;"
            f" {counts[1]} lesson progress rows,"
            f" {report['outreach']['sessions_delivered']} sessions"
        ),
    )


if __name__ == "__main__":
    main()
