"""The reads and writes of one playback heartbeat, in plain SQL.

Every viewer sends a beat every few seconds, so this is the hottest path of the product
(benchmarks/heartbeats.py). Through the ORM a beat took ten statements and most of its
time went to building querysets and model instances. Here it is one statement that reads
the progress row (optionally locking it) and everything the fold needs around it, one
that reads the sessions, and one write that applies only if the row is still at the
version read. On PostgreSQL the three are prepared once per connection and the write is
a single statement; SQLite (the embedded default) runs the writes one by one and locks
the whole file instead of a row. `services.heartbeat_record` holds the rules; this
module only moves rows.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from django.db import IntegrityError, connection
from django.utils.dateparse import parse_datetime

from cms.courses import LessonPage
from lms.learning.models import LearnerClock, LessonProgress, PlaybackSession


@dataclass
class BeatContext:
    """The lesson, the learner's enrollment in its course and the progress row."""

    duration: float
    enrollment_id: int | None
    enrollment_completed_at: dt.datetime | None
    last_lesson_id: int | None
    last_activity_at: dt.datetime | None
    coverage_percent: int
    time_percent: int
    daily_lesson_cap: int
    progress_id: int | None
    ranges: list
    watched_seconds: float
    credited_seconds: float
    position: float
    completed_at: dt.datetime | None
    version: int | None  # of the progress row as read
    # The learner's clock (models.LearnerClock); clock_version None: no row yet.
    credited_until: dt.datetime | None
    holder_lesson_id: int | None
    holder_seen_at: dt.datetime | None
    clock_version: int | None


@dataclass
class SessionRow:
    id: uuid.UUID
    progress_id: int
    first_beat_at: dt.datetime
    last_beat_at: dt.datetime
    claimed_seconds: float
    last_seq: int
    has_receipt: bool  # of the beat being folded (only asked of its own session)


# The progress row and the learner's clock sit in CTEs of their own: PostgreSQL does
# not lock the nullable side of an outer join, and the first beat of a lesson has no
# progress row yet. Locked, the clock goes first (the progress row's filter waits for
# it), as in the write, so two beats never wait on each other's rows in turn. The
# parent course is the page whose path is the lesson's less one step.
_CONTEXT_SQL = """
        WITH clk AS (
            SELECT credited_until, holder_lesson_id, holder_seen_at, version
            FROM learning_learnerclock
            WHERE user_id = %s FOR UPDATE
        ),
        lp AS (
            SELECT id, ranges, watched_seconds, credited_seconds, position, completed_at,
                   version
            FROM learning_lessonprogress
            WHERE user_id = %s AND lesson_id = %s
              AND (SELECT count(*) FROM clk) >= 0 FOR UPDATE
        )
        SELECT video.duration,
               e.id, e.completed_at, e.last_lesson_id, e.last_activity_at,
               course.lesson_coverage_percent, course.lesson_time_percent,
               course.daily_lesson_cap,
               lp.id, lp.ranges, lp.watched_seconds, lp.credited_seconds, lp.position,
               lp.completed_at, lp.version,
               clk.credited_until, clk.holder_lesson_id, clk.holder_seen_at, clk.version
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
        LEFT JOIN clk ON 1 = 1
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


def context_read(*, user_id: int, lesson_id: int, lock: bool) -> BeatContext | None:
    """The learner's progress row of the lesson (if any) and what lies around it;
    with `lock`, the row stays locked until the transaction ends.

    None when the lesson is not a live lesson.
    """
    sql = _CONTEXT_SQL
    if not (lock and connection.features.has_select_for_update):
        sql = sql.replace(" FOR UPDATE", "")  # SQLite: a writer locks the whole file
    with _cursor() as cursor:
        cursor.execute(
            sql,
            [user_id, user_id, lesson_id, LessonPage.steplen, user_id, lesson_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    ranges = row[9]
    return BeatContext(
        duration=float(row[0] or 0),
        enrollment_id=row[1],
        enrollment_completed_at=_aware(row[2]),
        last_lesson_id=row[3],
        last_activity_at=_aware(row[4]),
        coverage_percent=row[5] or 0,
        time_percent=row[6] or 0,
        daily_lesson_cap=row[7] or 0,
        progress_id=row[8],
        ranges=json.loads(ranges) if isinstance(ranges, str) else (ranges or []),
        watched_seconds=row[10] or 0.0,
        credited_seconds=row[11] or 0.0,
        position=row[12] or 0.0,
        completed_at=_aware(row[13]),
        version=row[14],
        credited_until=_aware(row[15]),
        holder_lesson_id=row[16],
        holder_seen_at=_aware(row[17]),
        clock_version=row[18],
    )


def progress_create(
    *,
    user_id: int,
    lesson_id: int,
    enrollment_id: int,
    now: dt.datetime,
    progress: bool = True,
    clock: bool = False,
) -> None:
    """The progress row of a first beat of the lesson and/or the learner's clock of the
    learner's first beat; a concurrent first beat may have made them.

    A new clock has credited nothing yet: it starts at the beat's server time.
    """
    with _cursor() as cursor:
        if clock:
            cursor.execute(
                """
                INSERT INTO learning_learnerclock (user_id, credited_until, version)
                VALUES (%s, %s, 0)
                ON CONFLICT (user_id) DO NOTHING
                """,
                [user_id, _db_datetime(now)],
            )
        if not progress:
            return
        cursor.execute(
            """
            INSERT INTO learning_lessonprogress
                (user_id, lesson_id, enrollment_id, ranges, watched_seconds,
                 credited_seconds, position, updated_at, version)
            VALUES (%s, %s, %s, %s, 0, 0, 0, %s, 0)
            ON CONFLICT (user_id, lesson_id) DO NOTHING
            """,
            [user_id, lesson_id, enrollment_id, "[]", _db_datetime(now)],
        )


def sessions_of(
    *, progress_id: int, session_id: uuid.UUID, seq: int
) -> list[SessionRow]:
    """The progress's playback sessions, and the beat's session wherever it belongs.

    Without the row lock another beat may change them before the write; the write's
    version check then refuses the fold built on them.
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


# The writes of a beat. SQLite runs them one by one inside the caller's transaction
# (which rolls back on an IntegrityError).
_SESSION_INTO = """
    INSERT INTO learning_playbacksession AS s
        (id, progress_id, first_beat_at, last_beat_at, claimed_seconds, last_seq)
"""
# A session of another progress is left alone: the upsert then touches no row.
_SESSION_ON_CONFLICT = """
    ON CONFLICT (id) DO UPDATE SET
        first_beat_at = excluded.first_beat_at,
        last_beat_at = excluded.last_beat_at,
        claimed_seconds = excluded.claimed_seconds,
        last_seq = excluded.last_seq
    WHERE s.progress_id = excluded.progress_id
"""
_SESSION_UPSERT = (
    f"{_SESSION_INTO} VALUES (%s, %s, %s, %s, %s, %s) {_SESSION_ON_CONFLICT}"
)
_RECEIPT_INSERT = """
    INSERT INTO learning_heartbeatreceipt (session_id, seq, received_at)
    VALUES (%s, %s, %s)
"""
_ACTIVITY_UPDATE = """
    UPDATE learning_enrollment SET last_lesson_id = %s, last_activity_at = %s
    WHERE id = %s AND %s
"""
_CLOCK_UPDATE = """
    UPDATE learning_learnerclock
    SET credited_until = %s, holder_lesson_id = %s, holder_seen_at = %s,
        version = version + 1
    WHERE user_id = %s AND version = %s
"""
_PROGRESS_UPDATE = """
    UPDATE learning_lessonprogress
    SET ranges = %s, watched_seconds = %s, credited_seconds = %s,
        position = %s, completed_at = %s, updated_at = %s, version = version + 1
    WHERE id = %s AND version = %s
"""
# On PostgreSQL they are one statement, so one transaction of their own. The learner's
# clock goes first, then the progress row: only if both are still at the versions the
# fold was computed from (no other beat of this learner, of any lesson, wrote since:
# every beat raises the clock's version) does anything else follow.
# A session id that another lesson's beat took meanwhile leaves the session alone;
# the receipt's seq is then NULL, which aborts the whole statement (IntegrityError).
_BEAT_WRITE_PG = (
    f"WITH clk AS ({_CLOCK_UPDATE} RETURNING id),"  # noqa: S608  # nosec B608
    f" p AS ({_PROGRESS_UPDATE} AND EXISTS (SELECT 1 FROM clk) RETURNING id),"
    f" sess AS ({_SESSION_INTO} SELECT %s, p.id, %s, %s, %s, %s FROM p"
    f" {_SESSION_ON_CONFLICT} RETURNING id),"
    " receipt AS (INSERT INTO learning_heartbeatreceipt (session_id, seq, received_at)"
    " SELECT %s, CASE WHEN EXISTS (SELECT 1 FROM sess) THEN %s END, %s FROM p),"
    f" activity AS ({_ACTIVITY_UPDATE} AND EXISTS (SELECT 1 FROM p))"
    " SELECT count(*) FROM p"
)


def beat_write(
    *,
    progress: LessonProgress,
    version: int,
    clock: LearnerClock,
    session: SessionRow,
    seq: int,
    now: dt.datetime,
    touch_activity: bool,
) -> bool:
    """Store the folded beat: the learner's clock, the progress row's figures, its
    session's window, its receipt and, when `touch_activity`, the enrollment's last
    lesson and time.

    False when the clock is no longer at `clock.version` or the progress row at
    `version`: nothing is written, and the caller folds again under the row locks. Raises IntegrityError when the session id
    was taken by another lesson's beat meanwhile.
    """
    stamp = _db_datetime(now)
    session_id = _db_uuid(session.id)
    ticks = [
        _db_datetime(clock.credited_until),
        clock.holder_lesson_id,
        _db_datetime(clock.holder_seen_at) if clock.holder_seen_at else None,
        clock.user_id,
        clock.version,
    ]
    window = [
        _db_datetime(session.first_beat_at),
        _db_datetime(session.last_beat_at),
        session.claimed_seconds,
        session.last_seq,
    ]
    activity = [progress.lesson_id, stamp, progress.enrollment_id, touch_activity]
    figures = [
        json.dumps(progress.ranges),
        progress.watched_seconds,
        progress.credited_seconds,
        progress.position,
        _db_datetime(progress.completed_at) if progress.completed_at else None,
        stamp,
        progress.pk,
        version,
    ]
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _BEAT_WRITE_PG,
                [
                    *ticks,
                    *figures,
                    session_id,
                    *window,
                    session_id,
                    seq,
                    stamp,
                    *activity,
                ],
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(_CLOCK_UPDATE, ticks)
        if cursor.rowcount != 1:
            return False
        cursor.execute(_PROGRESS_UPDATE, figures)
        if cursor.rowcount != 1:
            return False
        cursor.execute(_SESSION_UPSERT, [session_id, progress.pk, *window])
        if cursor.rowcount != 1:
            raise IntegrityError("the playback session belongs to another lesson")
        cursor.execute(_RECEIPT_INSERT, [session_id, seq, stamp])
        if touch_activity:
            cursor.execute(_ACTIVITY_UPDATE, activity)
    return True
