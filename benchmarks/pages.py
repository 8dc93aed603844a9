"""Server time and query counts of the learner's pages, at a small and a full data size.

    .venv/bin/python benchmarks/pages.py [--courses 500] [--enrollments 100000] [--quick]

A fresh PostgreSQL database, the production settings (config.settings.bench), and
Django's test client in the same process (server time without the network). Pages:
the catalog (/courses/), a course, a lesson (enrolled learner, player shown) and the
dashboard (/my/, a learner with 10 courses in progress). Each is measured first with
20 courses and 1,000 enrollments, then again after growing the data to 500 courses
and 100,000 enrollments: p50 time (target <= 50 ms) and the query count, which must
not grow with the data. Baseline in the same run: `GET /api/v1/auth/me` with the
same session, a request through the whole middleware stack that does almost nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

LESSONS_PER_COURSE = 3
SMALL = {"courses": 20, "enrollments": 1_000}


class Data:
    """Grows the catalog and the enrollments; remembers what it made."""

    def __init__(self) -> None:
        self.courses: list = []
        self.users: list = []
        self.enrolled = 0
        self.rng = random.Random(5)  # noqa: S311 - reproducible test data

    def add_courses(self, target: int) -> None:
        from cms.courses import Category, CoursePage, LessonPage
        from media_pipeline.models import VideoAsset, VideoCaption
        from tests.factories.learning import catalog

        index = catalog()
        categories = [value for value, _label in Category.choices]
        missing = target - len(self.courses)
        if missing <= 0:
            return
        assets = VideoAsset.objects.bulk_create(
            VideoAsset(
                title=f"영상 {i}",
                state=VideoAsset.State.READY,
                duration=600.0,
                output_prefix=f"videos/hls/bench-{i}/run",
                master_playlist=f"videos/hls/bench-{i}/run/master.m3u8",
            )
            for i in range(missing * LESSONS_PER_COURSE)
        )
        VideoCaption.objects.bulk_create(
            VideoCaption(asset=a, vtt_path=f"captions/{a.pk}.vtt") for a in assets
        )
        assets_iter = iter(assets)
        for _ in range(missing):
            n = len(self.courses) + 1
            course = CoursePage(
                title=f"노동법 강의 {n}",
                slug=f"course-{n}",
                category=self.rng.choice(categories),
                audience="citizen",
                summary="근로기준법과 근로계약, 임금, 근로시간을 다룹니다.",
                trainer_name="김강사",
                survey_required=False,
            )
            index.add_child(instance=course)
            for k in range(LESSONS_PER_COURSE):
                course.add_child(
                    instance=LessonPage(
                        title=f"{k + 1}차시",
                        slug=f"lesson-{n}-{k + 1}",
                        video=next(assets_iter),
                    )
                )
            self.courses.append(course)

    def add_enrollments(self, target: int) -> None:
        from lms.accounts.models import Role, User
        from lms.learning.models import Enrollment

        per_user = 5
        needed_users = -(-target // per_user)
        start = len(self.users)
        if needed_users > start:
            self.users += User.objects.bulk_create(
                (
                    User(
                        username=f"learner{i}",
                        email=f"learner{i}@example.org",
                        name="학습자",
                        role=Role.LEARNER,
                        password="!",  # noqa: S106 - unusable, never logs in
                    )
                    for i in range(start, needed_users)
                ),
                batch_size=5000,
            )
        rows = []
        for user in self.users[self.enrolled // per_user :]:
            for course in self.rng.sample(self.courses, per_user):
                rows.append(Enrollment(user=user, course=course))
            if len(rows) >= 10_000:
                Enrollment.objects.bulk_create(rows, ignore_conflicts=True)
                rows = []
        Enrollment.objects.bulk_create(rows, ignore_conflicts=True)
        self.enrolled = Enrollment.objects.count()

    def learner_with_progress(self):
        """The measured learner: 10 courses, some lessons watched, one finished."""
        from django.utils import timezone

        from cms.courses import LessonPage
        from lms.accounts.models import Role, User
        from lms.learning.models import Enrollment, LessonProgress

        user = User.objects.create(
            username="measured", email="m@example.org", name="김학습", role=Role.LEARNER
        )
        for i, course in enumerate(self.courses[:10]):
            enrollment = Enrollment.objects.create(
                user=user,
                course=course,
                completed_at=timezone.now() if i == 0 else None,
            )
            for lesson in LessonPage.objects.child_of(course)[: 1 + i % 3]:
                LessonProgress.objects.create(
                    user=user,
                    lesson=lesson,
                    enrollment=enrollment,
                    ranges=[[0, 300]],
                    watched_seconds=300,
                    credited_seconds=300,
                    position=300,
                )
        return user


class QueryCounter:
    """Counts the statements a request runs (works with DEBUG off)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(client, paths: dict[str, str], repeat: int) -> dict[str, tuple]:
    from django.db import connection

    out = {}
    for name, path in paths.items():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name} {path}: HTTP {response.status_code}")
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(path)
        p50 = _common.median_ms(lambda p=path: client.get(p), repeat=repeat)
        out[name] = (p50, counter.count)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--quick", action="store_true", help="100 courses, 10,000")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.courses, args.enrollments, args.repeat = 100, 10_000, 9

    url = _common.database_url("pages")
    migrate_s = _common.django_setup(url)
    from django.db import connection, connections
    from django.test import Client

    data = Data()
    started = time.perf_counter()
    data.add_courses(SMALL["courses"])
    data.add_enrollments(SMALL["enrollments"])
    learner = data.learner_with_progress()
    small_setup = time.perf_counter() - started

    from cms.courses import LessonPage

    course = data.courses[1]
    lesson = LessonPage.objects.child_of(course).first()
    paths = {
        "baseline": "/api/v1/auth/me",
        "catalog": "/courses/",
        "course": course.url,
        "lesson": lesson.url,
        "dashboard": "/my/",
    }
    client = Client()
    client.force_login(learner)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    small = measure(client, paths, args.repeat)

    started = time.perf_counter()
    data.add_courses(args.courses)
    data.add_enrollments(args.enrollments)
    full_setup = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    full = measure(client, paths, args.repeat)
    connections.close_all()
    if not args.keep_db:
        _common.database_drop(url)

    print(
        f"set-up: migrate {migrate_s:.1f} s, small data {small_setup:.1f} s,"
        f" growing to {len(data.courses)} courses / {data.enrolled} enrollments"
        f" {full_setup:.1f} s"
    )
    print(f"{'page':10s} {'p50 small':>10s} {'p50 full':>9s} {'queries':>15s}")
    for name in paths:
        print(
            f"{name:10s} {small[name][0]:8.1f}ms {full[name][0]:7.1f}ms"
            f" {small[name][1]:7d} -> {full[name][1]:d}"
        )
    base_ms = full["baseline"][0]
    for name in ("catalog", "course", "lesson", "dashboard"):
        p50, count = full[name]
        small_count = small[name][1]
        _common.report(
            f"page {name} p50",
            value=p50,
            unit="ms",
            baseline=base_ms,
            target="<= 50 ms; queries independent of data size",
            met=p50 <= 50 and count <= small_count,
            notes=(
                f"{len(data.courses)} courses, {data.enrolled} enrollments;"
                f" queries {small_count} (20 courses, 1,000 enrollments) ->"
                f" {count}; p50 at small size {small[name][0]:.1f} ms;"
                f" baseline = GET /api/v1/auth/me, same session"
            ),
        )


if __name__ == "__main__":
    main()
