"""The heartbeat's plain-SQL store: what it refuses, what it leaves alone, and that
its statements stay prepared on PostgreSQL (benchmarks/heartbeats.py depends on it)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from lms.learning import beat_store
from lms.learning.beat_fold import Beat, CreditRules, fold
from lms.learning.models import (
    Enrollment,
    HeartbeatReceipt,
    LearnerClock,
    LessonProgress,
    PlaybackSession,
)
from lms.learning.services import enrollment_create, heartbeat_record
from tests.factories import UserFactory
from tests.factories.learning import course_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    course = course_page(lessons=1, duration=60.0)
    return course.get_children().specific().get()


def _token_auth(client, password, user) -> dict:
    token = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": password},
        content_type="application/json",
    ).json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _beat(client, auth, lesson_id, session, seq=0, ranges=((0, 10),)):
    return client.post(
        f"/api/v1/lessons/{lesson_id}/heartbeats",
        {
            "session_id": str(session),
            "seq": seq,
            "ranges": [list(pair) for pair in ranges],
            "position": 10,
            "playback_rate": 1.0,
        },
        content_type="application/json",
        **auth,
    )


def _record(user, lesson, session, seq, start, now=None):
    """One 10 s beat straight through the service."""
    return heartbeat_record(
        user=user,
        lesson_id=lesson.pk,
        session_id=session,
        seq=seq,
        ranges=[[start, start + 10]],
        position=start + 10,
        playback_rate=1.0,
        now=now,
    )


def test_a_session_id_of_another_learner_is_404_and_changes_neither(
    client, lesson, password
):
    owner, other = UserFactory(), UserFactory()
    for user in (owner, other):
        enrollment_create(user=user, course=lesson.get_parent().specific)
    session = uuid.uuid4()
    owned = _beat(client, _token_auth(client, password, owner), lesson.pk, session)
    assert owned.status_code == 200
    before = PlaybackSession.objects.values().get(pk=session)

    taken = _beat(
        client, _token_auth(client, password, other), lesson.pk, session, seq=1
    )

    assert taken.status_code == 404
    assert taken["Content-Type"] == "application/problem+json"
    assert "재생 세션" in taken.json()["detail"]
    assert PlaybackSession.objects.values().get(pk=session) == before
    assert HeartbeatReceipt.objects.filter(session_id=session).count() == 1
    others = LessonProgress.objects.filter(user=other, lesson=lesson)
    assert not others.filter(watched_seconds__gt=0).exists()


def test_an_unpublished_or_missing_lesson_is_404_in_korean(client, lesson, password):
    user = UserFactory()
    enrollment_create(user=user, course=lesson.get_parent().specific)
    auth = _token_auth(client, password, user)
    lesson.unpublish()

    for lesson_id in (lesson.pk, 999_999):
        answer = _beat(client, auth, lesson_id, uuid.uuid4())
        assert answer.status_code == 404
        assert answer.json()["detail"] == "차시를 찾을 수 없습니다."
    assert not LessonProgress.objects.exists()


def test_the_last_lesson_and_time_follow_the_beats(lesson):
    user = UserFactory()
    enrollment = enrollment_create(user=user, course=lesson.get_parent().specific)
    assert enrollment.last_lesson_id is None
    played_at = timezone.now()
    _record(user, lesson, uuid.uuid4(), 0, 0, now=played_at)
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id == lesson.pk
    assert enrollment.last_activity_at == played_at


def test_the_sql_names_only_tables_that_exist():
    """The statements take their names from the models' `_meta` (beat_store._Names):
    every model's table is named, and every table named exists."""
    statements = " ".join(
        value
        for name, value in vars(beat_store).items()
        if name.isupper() and isinstance(value, str)
    )
    named = set(
        re.findall(r"\b(?:learning|cms|wagtailcore|media_pipeline)_\w+", statements)
    )
    models = {
        LessonProgress,
        PlaybackSession,
        HeartbeatReceipt,
        Enrollment,
        LearnerClock,
    }
    assert {model._meta.db_table for model in models} <= named
    assert named <= set(connection.introspection.table_names())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_a_beats_statements_are_prepared_once_and_django_s_are_not(lesson):
    user = UserFactory()
    enrollment_create(user=user, course=lesson.get_parent().specific)
    session = uuid.uuid4()
    for seq in range(4):
        _record(user, lesson, session, seq, seq * 10)
        list(Enrollment.objects.filter(user=user))  # an ORM query between beats
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements"
        )
        prepared = cursor.fetchall()
    # The first beat's two inserts (clock, progress), the context (twice on the first
    # beat), the sessions and
    # the write; nothing of the ORM's, however often it ran.
    assert len(prepared) == 5
    assert all("learning_" in statement for statement, _plans in prepared)
    assert sorted(plans for _statement, plans in prepared) == [1, 1, 4, 4, 5]


def test_a_write_computed_from_a_row_another_beat_wrote_since_changes_nothing(lesson):
    user = UserFactory()
    enrollment_create(user=user, course=lesson.get_parent().specific)
    first, late = uuid.uuid4(), uuid.uuid4()
    _record(user, lesson, first, 0, 0)
    stale = beat_store.context_read(user_id=user.pk, lesson_id=lesson.pk, lock=False)
    _record(user, lesson, first, 1, 10)  # another tab's beat, between read and write
    late_beat = Beat(
        user_id=user.pk,
        lesson_id=lesson.pk,
        session_id=late,
        seq=0,
        ranges=[[30.0, 40.0]],
        position=40.0,
        playback_rate=1.0,
        now=timezone.now(),
    )
    folded = fold(stale, [], late_beat, CreditRules(tolerance=5, hold=30, lookback=60))
    assert folded.progress.ranges == [
        [0.0, 10.0],
        [30.0, 40.0],
    ]  # built on the stale row

    written = beat_store.beat_write(context=stale, beat=late_beat, write=folded)

    assert written is False
    row = LessonProgress.objects.get(pk=stale.progress_id)
    assert row.ranges == [[0.0, 20.0]]  # the other beat's, not the stale fold's
    assert not PlaybackSession.objects.filter(pk=late).exists()
    assert not HeartbeatReceipt.objects.filter(session_id=late).exists()
    # Folded again through the service, the same beat lands on top of the other one.
    _record(user, lesson, late, 0, 30)
    assert LessonProgress.objects.get(pk=stale.progress_id).ranges == [
        [0.0, 20.0],
        [30.0, 40.0],
    ]
