"""Concurrent heartbeats on PostgreSQL, with real threads and connections: no range is lost."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from lms.learning.models import LessonProgress
from lms.learning.services import enrollment_create, heartbeat_record
from tests.conftest import require_service
from tests.factories import UserFactory
from tests.factories.learning import course_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_concurrent_heartbeats_for_one_learner_and_lesson_lose_no_range():
    require_service("DATABASE_URL", "the heartbeat race test")
    assert connection.vendor == "postgresql"
    course = course_page(lessons=1, duration=1000.0)
    lesson = course.get_children().specific().get()
    user = UserFactory()
    enrollment_create(user=user, course=course)
    threads_count, beats_each = 8, 6
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def tab(index: int) -> None:
        session = uuid.uuid4()
        try:
            barrier.wait()
            for seq in range(beats_each):
                # Disjoint 10 s slices, so every lost update shows as a hole.
                start = (index * beats_each + seq) * 20.0
                heartbeat_record(
                    user=user,
                    lesson_id=lesson.pk,
                    session_id=session,
                    seq=seq,
                    ranges=[[start, start + 10.0]],
                    position=start + 10.0,
                    playback_rate=1.0,
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    progress = LessonProgress.objects.get(user=user, lesson=lesson)
    expected = [[n * 20.0, n * 20.0 + 10.0] for n in range(threads_count * beats_each)]
    assert progress.ranges == expected
    assert progress.watched_seconds == pytest.approx(10.0 * threads_count * beats_each)
    assert progress.sessions.count() == threads_count
