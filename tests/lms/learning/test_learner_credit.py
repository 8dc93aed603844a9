"""Credit bounded per learner (issue 16): lessons played at once never earn more than
the wall clock, and the lesson already playing keeps the credit.

The concurrent tests send real requests from real threads, each on its own database
connection, against the embedded SQLite (its file lock) and, with DATABASE_URL set,
PostgreSQL (row locks and the version check). The clock is the server's own.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from wagtail.models import APIToken

from lms.learning.models import LearnerClock, LessonProgress
from lms.learning.services import enrollment_create, heartbeat_record
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
TOLERANCE = settings.LEARNING_HEARTBEAT_TOLERANCE_SECONDS


def _deliver(user, lesson, beats, *, origin: float = 0.0):
    outcomes = []
    for beat in beats:
        outcomes.append(
            heartbeat_record(
                user=user,
                lesson_id=lesson.pk,
                session_id=uuid.UUID(beat.session),
                seq=beat.seq,
                ranges=beat.ranges,
                position=beat.position,
                playback_rate=beat.rate,
                now=T0 + dt.timedelta(seconds=origin + beat.at),
            )
        )
    return outcomes


def _credited(user) -> dict[int, float]:
    return dict(
        LessonProgress.objects.filter(user=user).values_list(
            "lesson_id", "credited_seconds"
        )
    )


@pytest.mark.django_db
def test_interleaved_lessons_credit_the_first_one_only_then_the_other_after_it_stops():
    course = course_page(lessons=2, duration=300.0)
    first, second = course.get_children().specific()
    user = UserFactory()
    enrollment_create(user=user, course=course)
    a, b = Player(duration=300).start(), Player(duration=300).start()
    a.play(100)
    b.play(100)
    beats = sorted(
        [(beat, first) for beat in a.beats] + [(beat, second) for beat in b.beats],
        key=lambda pair: (pair[0].at, pair[1] is second),  # A's beat first each time
    )

    outcomes = [_deliver(user, lesson, [beat])[0] for beat, lesson in beats]

    credited = _credited(user)
    assert credited[first.pk] == pytest.approx(100.0)  # as if played alone
    assert credited[second.pk] == 0.0
    # Its ranges still count: it was played, only not for the time.
    assert LessonProgress.objects.get(user=user, lesson=second).watched_seconds == (
        pytest.approx(100.0)
    )
    held = [
        o
        for (_beat, lesson), o in zip(beats, outcomes, strict=True)
        if lesson == second
    ]
    assert all(o.credit_held_by == first.pk for o in held)

    # A stops. Within the hold, B's beats still earn nothing; after it, B takes over.
    hold = settings.LEARNING_CREDIT_HOLD_SECONDS
    b.clock = a.clock + hold - 10
    b.play(5)
    assert _deliver(user, second, b.beats[-1:])[0].credit_held_by == first.pk
    assert _credited(user)[second.pk] == 0.0
    b.clock = a.clock + hold + 1
    b.play(10)
    taken = _deliver(user, second, b.beats[-1:])[0]
    assert taken.credit_held_by is None
    assert 0 < _credited(user)[second.pk] <= 10.0
    clock = LearnerClock.objects.get(user=user)
    assert clock.holder_lesson_id == second.pk
    # From the first beat on, all lessons together: no more than the wall time.
    wall = b.clock
    assert sum(_credited(user).values()) <= wall + TOLERANCE


@pytest.mark.django_db
def test_lessons_of_two_courses_share_one_clock():
    courses = [course_page(lessons=1, duration=200.0) for _ in range(2)]
    lessons = [course.get_children().specific().get() for course in courses]
    user = UserFactory()
    for course in courses:
        enrollment_create(user=user, course=course)
    players = [Player(duration=200).start().play(60) for _ in lessons]
    # Lesson two's beats arrive first each time: the one beating first keeps it.
    beats = sorted(
        [
            (beat, lesson)
            for player, lesson in zip(players, lessons, strict=True)
            for beat in player.beats
        ],
        key=lambda pair: (pair[0].at, pair[1] is lessons[0]),
    )
    for beat, lesson in beats:
        _deliver(user, lesson, [beat])

    credited = _credited(user)
    assert credited[lessons[1].pk] == pytest.approx(60.0)
    assert credited[lessons[0].pk] == 0.0


# --- Concurrent requests ----------------------------------------------------------------

BEAT = 0.5  # real seconds between a tab's beats
BEATS = 12


def _tab(
    token: str,
    lesson_id: int,
    start: threading.Barrier | None,
    log: list,
    playing: threading.Event | None = None,
):
    """One tab: a playing beat then BEATS more, BEAT s of media each, in real time."""
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    session = str(uuid.uuid4())
    try:
        if start is not None:
            start.wait()
        for seq in range(BEATS + 1):
            media = [[(seq - 1) * BEAT, seq * BEAT]] if seq else []
            response = client.post(
                f"/api/v1/lessons/{lesson_id}/heartbeats",
                {
                    "session_id": session,
                    "seq": seq,
                    "ranges": media,
                    "position": seq * BEAT,
                    "playback_rate": 1.0,
                },
                content_type="application/json",
                **auth,
            )
            log.append((lesson_id, seq, response.status_code, response.json()))
            if playing is not None:
                playing.set()
            time.sleep(BEAT)
    except BaseException as exc:  # noqa: BLE001 - reported by the main thread
        log.append((lesson_id, -1, 0, repr(exc)))
    finally:
        connections.close_all()


def _play_at_once(count: int, on_disk):
    """`count` lessons of one learner: the first starts, then all play at once."""
    course = course_page(lessons=count, duration=600.0)
    lessons = list(course.get_children().specific())
    user = UserFactory()
    enrollment_create(user=user, course=course)
    _token, raw = APIToken.create_token(user=user, name="credit test")
    if on_disk is not None:
        on_disk()
    log: list = []
    began = time.monotonic()
    # The first lesson is already playing when the others start.
    playing = threading.Event()
    first = threading.Thread(target=_tab, args=(raw, lessons[0].pk, None, log, playing))
    first.start()
    assert playing.wait(timeout=30)
    time.sleep(BEAT * 2)
    barrier = threading.Barrier(count - 1)
    others = [
        threading.Thread(target=_tab, args=(raw, lesson.pk, barrier, log))
        for lesson in lessons[1:]
    ]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join()
    wall = time.monotonic() - began
    return user, lessons, log, wall


@pytest.fixture
def on_disk(tmp_path):
    """On SQLite, the test database copied to a file for the duration of the test.

    The suite's SQLite is in memory, shared between connections by SQLite's shared
    cache, which answers a second writer "locked" at once instead of waiting: not the
    embedded default, where every process and thread opens the same file (WAL) and
    waits on its lock. So the threads here open a file, as the product does.
    """
    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield
        return
    import sqlite3

    path = tmp_path / "db.sqlite3"
    settings_dict = connection.settings_dict  # shared by every thread's connection
    memory = settings_dict["NAME"]
    # The in-memory database lives as long as this connection stays open.
    kept = connection

    def copy_to_file():
        kept.ensure_connection()
        target = sqlite3.connect(path)
        kept.connection.backup(target)
        target.close()
        settings_dict["NAME"] = str(path)
        connections["default"] = connections.create_connection("default")

    yield copy_to_file
    connections["default"].close()
    settings_dict["NAME"] = memory
    connections["default"] = kept


def _check(user, lessons, log, wall):
    failures = [entry for entry in log if entry[2] != 200]
    assert failures == []
    credited = _credited(user)
    total = sum(credited.values())
    # Every lesson alone would earn about its played time: together, no more than
    # the wall clock and the tolerance.
    assert total <= wall + TOLERANCE
    holder, *others = lessons
    assert credited[holder.pk] >= BEAT * (BEATS - 2)  # it kept its time
    for lesson in others:
        assert credited[lesson.pk] == 0.0
        # Each of its beats after the first was told who holds the credit.
        answers = [body for lesson_id, seq, _s, body in log if lesson_id == lesson.pk]
        named = {(body["credit_held_by"] or {}).get("title") for body in answers[1:]}
        assert named == {holder.title}
    assert all(
        body["credit_held_by"] is None
        for lesson_id, _seq, _s, body in log
        if lesson_id == holder.pk
    )
    clock = LearnerClock.objects.get(user=user)
    assert clock.holder_lesson_id == holder.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
@pytest.mark.parametrize("count", [2, 3])
def test_lessons_played_at_once_through_the_api_earn_no_more_than_the_wall_clock(
    count, on_disk
):
    user, lessons, log, wall = _play_at_once(count, on_disk)
    _check(user, lessons, log, wall)
