"""The reads and writes of one playback heartbeat, in plain SQL.

Every viewer sends a beat every few seconds, so this is the hottest path of the product
(benchmarks/heartbeats.py). Through the ORM a beat took ten statements and most of its
time went to building querysets and model instances; here it is one statement that locks
the progress row and reads everything the fold needs around it, one that reads the
sessions after the lock, and three small writes. `services.heartbeat_record` holds the
rules; this module only moves rows. The SQL runs on PostgreSQL and on SQLite (the
embedded default): only the row lock differs, and SQLite locks the whole file instead.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from django.db import connection
from django.utils.dateparse import parse_datetime

from cms.courses import LessonPage
from lms.learning.models import PlaybackSession


@dataclass
class BeatContext:
    """The lesson, the learner's enrollment in its course and the locked progress row."""

    lesson_path: str
    duration: float
    enrollment_id: int | None
    enrollment_completed_at: dt.datetime | None
    last_lesson_id: int | None
    last_activity_at: dt.datetime | None
    course_id: int | None
    coverage_percent: int
    time_percent: int
    daily_lesson_cap: int
    progress_id: int | None
    ranges: list
    watched_seconds: float
    credited_seconds: float
    position: float
    completed_at: dt.datetime | None


@dataclass
class SessionRow:
    id: uuid.UUID
    progress_id: int
    first_beat_at: dt.datetime
    last_beat_at: dt.datetime
    claimed_seconds: float
    last_seq: int
    has_receipt: bool  # of the beat being folded (only asked of its own session)


# The lock sits in a CTE of its own: PostgreSQL does not lock the nullable side of an
# outer join, and the first beat of a lesson has no progress row yet. The parent
# course is the page whose path is the lesson's less one step.
_CONTEXT_SQL = """
        WITH lp AS (
            SELECT id, ranges, watched_seconds, credited_seconds, position, completed_at
            FROM learning_lessonprogress
            WHERE user_id = %s AND lesson_id = %s FOR UPDATE
        )
        SELECT page.path, video.duration,
               e.id, e.completed_at, e.last_lesson_id, e.last_activity_at,
               course.page_ptr_id, course.lesson_coverage_percent,
               course.lesson_time_percent, course.daily_lesson_cap,
               lp.id, lp.ranges, lp.watched_seconds, lp.credited_seconds, lp.position,
               lp.completed_at
        FROM wagtailcore_page page
        JOIN cms_lessonpage lesson ON lesson.page_ptr_id = page.id
        LEFT JOIN media_pipeline_videoasset video
            ON video.id = lesson.video_id
        LEFT JOIN cms_coursepage course
            ON course.page_ptr_id = (
                SELECT parent.id
                FROM wagtailcore_page parent
                WHERE parent.path = substr(page.path, 1, length(page.path) - %s)
            )
        LEFT JOIN learning_enrollment e
            ON e.course_id = course.page_ptr_id AND e.user_id = %s
        LEFT JOIN lp ON 1 = 1
        WHERE page.id = %s AND page.live
    """


def _aware(value) -> dt.datetime | None:
    """A datetime column as an aware UTC datetime, whichever database read it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


@contextmanager
def _cursor():
    """A cursor on the request's connection and transaction.

    On PostgreSQL it binds on the server and prepares each statement once per
    connection (psycopg's `prepare=True`): planning the context query cost more than
    running it. Django's own cursors bind on the client, so they never prepare.
    Errors still pass through Django's wrapper (OperationalError -> 503).
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (None), which `prepare=True` cannot
        # override. Its own cursors bind on the client and never prepare, so a
        # threshold no statement reaches leaves them as they were.
        raw.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        with _PreparingCursor(raw) as cursor:
            yield cursor


_PREPARE_ONLY_WHEN_ASKED = 2**31


class _PreparingCursor(psycopg.Cursor):
    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


def _db_datetime(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _db_uuid(value: uuid.UUID):
    return PlaybackSession._meta.pk.get_db_prep_value(value, connection)


def context_lock(*, user_id: int, lesson_id: int) -> BeatContext | None:
    """Lock the learner's progress row of the lesson (if any) and read around it.

    None when the lesson is not a live lesson. Must run inside a transaction.
    """
    sql = _CONTEXT_SQL
    if not connection.features.has_select_for_update:
        sql = sql.replace(" FOR UPDATE", "")  # SQLite: a writer locks the whole file
    with _cursor() as cursor:
        cursor.execute(
            sql,
            [user_id, lesson_id, LessonPage.steplen, user_id, lesson_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    ranges = row[11]
    return BeatContext(
        lesson_path=row[0],
        duration=float(row[1] or 0),
        enrollment_id=row[2],
        enrollment_completed_at=_aware(row[3]),
        last_lesson_id=row[4],
        last_activity_at=_aware(row[5]),
        course_id=row[6],
        coverage_percent=row[7] or 0,
        time_percent=row[8] or 0,
        daily_lesson_cap=row[9] or 0,
        progress_id=row[10],
        ranges=json.loads(ranges) if isinstance(ranges, str) else (ranges or []),
        watched_seconds=row[12] or 0.0,
        credited_seconds=row[13] or 0.0,
        position=row[14] or 0.0,
        completed_at=_aware(row[15]),
    )


def progress_create(
    *, user_id: int, lesson_id: int, enrollment_id: int, now: dt.datetime
) -> None:
    """The progress row of a first beat; a concurrent first beat may have made it."""
    with _cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO learning_lessonprogress
                (user_id, lesson_id, enrollment_id, ranges, watched_seconds,
                 credited_seconds, position, updated_at)
            VALUES (%s, %s, %s, %s, 0, 0, 0, %s)
            ON CONFLICT (user_id, lesson_id) DO NOTHING
            """,
            [user_id, lesson_id, enrollment_id, "[]", _db_datetime(now)],
        )


def sessions_of(
    *, progress_id: int, session_id: uuid.UUID, seq: int
) -> list[SessionRow]:
    """The progress's playback sessions, and the beat's session wherever it belongs.

    Read after the lock, so no other beat of this progress can change them meanwhile.
    """
    with _cursor() as cursor:
        cursor.execute(
            """
            SELECT s.id, s.progress_id, s.first_beat_at, s.last_beat_at,
                   s.claimed_seconds, s.last_seq,
                   s.id = %s AND EXISTS (
                       SELECT 1 FROM learning_heartbeatreceipt r
                       WHERE r.session_id = s.id AND r.seq = %s
                   )
            FROM learning_playbacksession s
            WHERE s.progress_id = %s OR s.id = %s
            """,
            [_db_uuid(session_id), seq, progress_id, _db_uuid(session_id)],
        )
        rows = cursor.fetchall()
    return [
        SessionRow(
            id=row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(row[0]),
            progress_id=row[1],
            first_beat_at=_aware(row[2]),
            last_beat_at=_aware(row[3]),
            claimed_seconds=row[4],
            last_seq=row[5],
            has_receipt=bool(row[6]),
        )
        for row in rows
    ]


# The writes of a beat. On PostgreSQL they go as one statement of data-modifying CTEs
# (one round trip, one plan); SQLite has no such CTEs and runs them one by one.
_SESSION_UPSERT = """
    INSERT INTO learning_playbacksession AS s
        (id, progress_id, first_beat_at, last_beat_at, claimed_seconds, last_seq)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (id) DO UPDATE SET
        first_beat_at = excluded.first_beat_at,
        last_beat_at = excluded.last_beat_at,
        claimed_seconds = excluded.claimed_seconds,
        last_seq = excluded.last_seq
    WHERE s.progress_id = excluded.progress_id
"""
_RECEIPT_INSERT = """
    INSERT INTO learning_heartbeatreceipt (session_id, seq, received_at)
    VALUES (%s, %s, %s)
"""
_ACTIVITY_UPDATE = """
    UPDATE learning_enrollment SET last_lesson_id = %s, last_activity_at = %s
    WHERE id = %s AND %s
"""
_PROGRESS_UPDATE = """
    UPDATE learning_lessonprogress
    SET ranges = %s, watched_seconds = %s, credited_seconds = %s,
        position = %s, completed_at = %s, updated_at = %s
    WHERE id = %s
"""
# The receipt and the progress are written only if the session upsert took: an id
# that another lesson's beat took meanwhile leaves it (and so them) untouched. Built
# from the constants above only; every value is a bound parameter.
_BEAT_WRITE_PG = (
    f"WITH sess AS ({_SESSION_UPSERT} RETURNING id),"  # noqa: S608  # nosec B608
    " receipt AS (INSERT INTO learning_heartbeatreceipt (session_id, seq, received_at)"
    " SELECT sess.id, %s, %s FROM sess),"
    f" activity AS ({_ACTIVITY_UPDATE})"
    f" {_PROGRESS_UPDATE} AND EXISTS (SELECT 1 FROM sess) RETURNING 1"
)


def beat_write(
    *,
    progress_id: int,
    session: SessionRow,
    seq: int,
    now: dt.datetime,
    ranges: list,
    watched_seconds: float,
    credited_seconds: float,
    position: float,
    completed_at: dt.datetime | None,
    enrollment_id: int,
    lesson_id: int,
    touch_activity: bool,
) -> bool:
    """Store the folded beat: its session's window, its receipt, the progress and,
    when `touch_activity`, the enrollment's last lesson and time.

    False when the session id was taken by another lesson's beat meanwhile; nothing is
    written then.
    """
    stamp = _db_datetime(now)
    session_params = [
        _db_uuid(session.id),
        progress_id,
        _db_datetime(session.first_beat_at),
        _db_datetime(session.last_beat_at),
        session.claimed_seconds,
        session.last_seq,
    ]
    receipt_params = [_db_uuid(session.id), seq, stamp]
    activity_params = [lesson_id, stamp, enrollment_id, touch_activity]
    progress_params = [
        json.dumps(ranges),
        watched_seconds,
        credited_seconds,
        position,
        _db_datetime(completed_at) if completed_at else None,
        stamp,
        progress_id,
    ]
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _BEAT_WRITE_PG,
                session_params + receipt_params[1:] + activity_params + progress_params,
            )
            return cursor.fetchone() is not None
        cursor.execute(_SESSION_UPSERT, session_params)
        if cursor.rowcount != 1:
            return False
        cursor.execute(_RECEIPT_INSERT, receipt_params)
        if touch_activity:
            cursor.execute(_ACTIVITY_UPDATE, activity_params)
        cursor.execute(_PROGRESS_UPDATE, progress_params)
    return True
