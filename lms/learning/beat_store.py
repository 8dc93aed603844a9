"""The reads and writes of one playback heartbeat, in plain SQL.

Every viewer sends a beat every few seconds, so this is the hottest path of the product
(benchmarks/heartbeats.py). Through the ORM a beat took ten statements and most of its
time went to building querysets and model instances. Here it is one statement that reads
the progress row (optionally locking it) and everything the fold needs around it, one
that reads the sessions, and one write that applies only if the row is still at the
version read. On PostgreSQL the three are prepared once per connection and the write is
a single statement; SQLite (the embedded default) runs the writes one by one and locks
the whole file instead of a row. `beat_fold.fold` holds the rules and
`services.heartbeat_record` their order; this module only moves rows. Rows are read
by column name into beat_fold's dataclasses, and every table and column name comes
from the models' `_meta`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from contextlib import contextmanager
from dataclasses import fields

import psycopg
from django.db import IntegrityError, connection
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from cms.courses import CoursePage, LessonPage
from lms.learning.beat_fold import Beat, BeatContext, BeatWrite, SessionRow
from lms.learning.models import (
    Enrollment,
    HeartbeatReceipt,
    LearnerClock,
    LessonProgress,
    PlaybackSession,
)
from media_pipeline.models import VideoAsset


class _Names:
    """A model's names for SQL text, read from its `_meta`: formatted as `{t}` it is the
    table, and `{t.field}` is that field's column (`{t.user}` -> user_id)."""

    def __init__(self, model) -> None:
        self._opts = model._meta

    def __format__(self, spec: str) -> str:
        return self._opts.db_table

    def __getattr__(self, field: str) -> str:
        return self._opts.get_field(field).column


_TABLES = {
    "page": _Names(Page),
    "lesson": _Names(LessonPage),
    "course": _Names(CoursePage),
    "video": _Names(VideoAsset),
    "enrollment": _Names(Enrollment),
    "progress": _Names(LessonProgress),
    "clock": _Names(LearnerClock),
    "session": _Names(PlaybackSession),
    "receipt": _Names(HeartbeatReceipt),
}


def _sql(text: str) -> str:
    """SQL text with the models' table and column names filled in (`_Names`)."""
    return text.format(**_TABLES)


# The progress row and the learner's clock sit in CTEs of their own: PostgreSQL does
# not lock the nullable side of an outer join, and the first beat of a lesson has no
# progress row yet. Locked, the clock goes first (the progress row's filter waits for
# it), as in the write, so two beats never wait on each other's rows in turn. The
# parent course is the page whose path is the lesson's less one step. Each column is
# named as the BeatContext field it fills.
_CONTEXT_SQL = _sql(
    """
        WITH clk AS (
            SELECT {clock.credited_until}, {clock.holder_lesson}, {clock.holder_seen_at},
                   {clock.version}
            FROM {clock}
            WHERE {clock.user} = %s FOR UPDATE
        ),
        lp AS (
            SELECT {progress.id}, {progress.ranges}, {progress.watched_seconds},
                   {progress.credited_seconds}, {progress.position},
                   {progress.completed_at}, {progress.version}
            FROM {progress}
            WHERE {progress.user} = %s AND {progress.lesson} = %s
              AND (SELECT count(*) FROM clk) >= 0 FOR UPDATE
        )
        SELECT video.{video.duration} AS duration,
               e.{enrollment.id} AS enrollment_id,
               e.{enrollment.completed_at} AS enrollment_completed_at,
               e.{enrollment.last_lesson} AS last_lesson_id,
               e.{enrollment.last_activity_at} AS last_activity_at,
               course.{course.lesson_coverage_percent} AS coverage_percent,
               course.{course.lesson_time_percent} AS time_percent,
               course.{course.daily_lesson_cap} AS daily_lesson_cap,
               lp.{progress.id} AS progress_id,
               lp.{progress.ranges} AS ranges,
               lp.{progress.watched_seconds} AS watched_seconds,
               lp.{progress.credited_seconds} AS credited_seconds,
               lp.{progress.position} AS position,
               lp.{progress.completed_at} AS completed_at,
               lp.{progress.version} AS version,
               clk.{clock.credited_until} AS credited_until,
               clk.{clock.holder_lesson} AS holder_lesson_id,
               clk.{clock.holder_seen_at} AS holder_seen_at,
               clk.{clock.version} AS clock_version
        FROM {page} page
        JOIN {lesson} lesson ON lesson.{lesson.page_ptr} = page.{page.id}
        LEFT JOIN {video} video
            ON video.{video.id} = lesson.{lesson.video}
        LEFT JOIN {course} course
            ON course.{course.page_ptr} = (
                SELECT parent.{page.id}
                FROM {page} parent
                WHERE parent.{page.path}
                    = substr(page.{page.path}, 1, length(page.{page.path}) - %s)
            )
        LEFT JOIN {enrollment} e
            ON e.{enrollment.course} = course.{course.page_ptr}
            AND e.{enrollment.user} = %s
        LEFT JOIN lp ON 1 = 1
        LEFT JOIN clk ON 1 = 1
        WHERE page.{page.id} = %s AND page.{page.live}
    """
)


def _aware(value) -> dt.datetime | None:
    """A datetime column as an aware UTC datetime, whichever database read it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _ranges(value) -> list:
    """A JSON column: SQLite hands over its text, psycopg the decoded list."""
    return json.loads(value) if isinstance(value, str) else (value or [])


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _zero(value):
    return value or 0


def _reader(cls, convert: dict, default=None):
    """Read rows by column name into `cls`: each column fills the field of its name,
    through `convert` (by field) or else `default`."""
    names = {f.name for f in fields(cls)}
    converters = {name: convert.get(name, default) for name in names}

    def read(description, row):
        values = {}
        for column, value in zip(description, row, strict=True):
            name = column[0]
            converter = converters[name]
            values[name] = value if converter is None else converter(value)
        return cls(**values)

    return read


_read_context = _reader(
    BeatContext,
    {
        "duration": lambda value: float(value or 0),
        "enrollment_completed_at": _aware,
        "last_activity_at": _aware,
        "ranges": _ranges,
        "completed_at": _aware,
        "credited_until": _aware,
        "holder_seen_at": _aware,
        "enrollment_id": None,
        "last_lesson_id": None,
        "progress_id": None,
        "version": None,
        "holder_lesson_id": None,
        "clock_version": None,
    },
    default=_zero,  # the figures of a progress row not yet made, or a course's rule
)
_read_session = _reader(
    SessionRow,
    {
        "id": _uuid,
        "first_beat_at": _aware,
        "last_beat_at": _aware,
        "has_receipt": bool,
    },
)


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


def _db_datetime(value: dt.datetime | None):
    if value is None:
        return None
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
        return _read_context(cursor.description, row)


_CLOCK_INSERT = _sql(
    """
    INSERT INTO {clock} ({clock.user}, {clock.credited_until}, {clock.version})
    VALUES (%s, %s, 0)
    ON CONFLICT ({clock.user}) DO NOTHING
    """
)
_PROGRESS_INSERT = _sql(
    """
    INSERT INTO {progress}
        ({progress.user}, {progress.lesson}, {progress.enrollment}, {progress.ranges},
         {progress.watched_seconds}, {progress.credited_seconds}, {progress.position},
         {progress.updated_at}, {progress.version})
    VALUES (%s, %s, %s, %s, 0, 0, 0, %s, 0)
    ON CONFLICT ({progress.user}, {progress.lesson}) DO NOTHING
    """
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
            cursor.execute(_CLOCK_INSERT, [user_id, _db_datetime(now)])
        if progress:
            cursor.execute(
                _PROGRESS_INSERT,
                [user_id, lesson_id, enrollment_id, "[]", _db_datetime(now)],
            )


_SESSIONS_SQL = _sql(
    """
    SELECT s.{session.id} AS id, s.{session.progress} AS progress_id,
           s.{session.first_beat_at} AS first_beat_at,
           s.{session.last_beat_at} AS last_beat_at,
           s.{session.claimed_seconds} AS claimed_seconds,
           s.{session.last_seq} AS last_seq,
           s.{session.id} = %s AND EXISTS (
               SELECT 1 FROM {receipt} r
               WHERE r.{receipt.session} = s.{session.id} AND r.{receipt.seq} = %s
           ) AS has_receipt
    FROM {session} s
    WHERE s.{session.progress} = %s OR s.{session.id} = %s
    """
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
            _SESSIONS_SQL,
            [_db_uuid(session_id), seq, progress_id, _db_uuid(session_id)],
        )
        return [_read_session(cursor.description, row) for row in cursor.fetchall()]


# The writes of a beat. SQLite runs them one by one inside the caller's transaction
# (which rolls back on an IntegrityError).
_SESSION_INTO = _sql(
    """
    INSERT INTO {session} AS s
        ({session.id}, {session.progress}, {session.first_beat_at},
         {session.last_beat_at}, {session.claimed_seconds}, {session.last_seq})
    """
)
# A session of another progress is left alone: the upsert then touches no row.
_SESSION_ON_CONFLICT = _sql(
    """
    ON CONFLICT ({session.id}) DO UPDATE SET
        {session.first_beat_at} = excluded.{session.first_beat_at},
        {session.last_beat_at} = excluded.{session.last_beat_at},
        {session.claimed_seconds} = excluded.{session.claimed_seconds},
        {session.last_seq} = excluded.{session.last_seq}
    WHERE s.{session.progress} = excluded.{session.progress}
    """
)
_SESSION_UPSERT = (
    f"{_SESSION_INTO} VALUES (%s, %s, %s, %s, %s, %s) {_SESSION_ON_CONFLICT}"
)
_RECEIPT_INTO = _sql(
    "INSERT INTO {receipt} ({receipt.session}, {receipt.seq}, {receipt.received_at})"
)
_RECEIPT_INSERT = f"{_RECEIPT_INTO} VALUES (%s, %s, %s)"
_ACTIVITY_UPDATE = _sql(
    """
    UPDATE {enrollment}
    SET {enrollment.last_lesson} = %s, {enrollment.last_activity_at} = %s
    WHERE {enrollment.id} = %s AND %s
    """
)
_CLOCK_UPDATE = _sql(
    """
    UPDATE {clock}
    SET {clock.credited_until} = %s, {clock.holder_lesson} = %s,
        {clock.holder_seen_at} = %s, {clock.version} = {clock.version} + 1
    WHERE {clock.user} = %s AND {clock.version} = %s
    """
)
_PROGRESS_UPDATE = _sql(
    """
    UPDATE {progress}
    SET {progress.ranges} = %s, {progress.watched_seconds} = %s,
        {progress.credited_seconds} = %s, {progress.position} = %s,
        {progress.completed_at} = %s, {progress.updated_at} = %s,
        {progress.version} = {progress.version} + 1
    WHERE {progress.id} = %s AND {progress.version} = %s
    """
)
# On PostgreSQL they are one statement, so one transaction of their own. The learner's
# clock goes first, then the progress row: only if both are still at the versions the
# fold was computed from (no other beat of this learner, of any lesson, wrote since:
# every beat raises the clock's version) does anything else follow.
# A session id that another lesson's beat took meanwhile leaves the session alone;
# the receipt's seq is then NULL, which aborts the whole statement (IntegrityError).
_BEAT_WRITE_PG = (
    f"WITH clk AS ({_CLOCK_UPDATE} RETURNING {_TABLES['clock'].id}),"  # noqa: S608  # nosec B608
    f" p AS ({_PROGRESS_UPDATE} AND EXISTS (SELECT 1 FROM clk)"
    f" RETURNING {_TABLES['progress'].id}),"
    f" sess AS ({_SESSION_INTO} SELECT %s, p.{_TABLES['progress'].id}, %s, %s, %s, %s"
    f" FROM p {_SESSION_ON_CONFLICT} RETURNING {_TABLES['session'].id}),"
    f" receipt AS ({_RECEIPT_INTO}"
    " SELECT %s, CASE WHEN EXISTS (SELECT 1 FROM sess) THEN %s END, %s FROM p),"
    f" activity AS ({_ACTIVITY_UPDATE} AND EXISTS (SELECT 1 FROM p))"
    " SELECT count(*) FROM p"
)


def beat_write(*, context: BeatContext, beat: Beat, write: BeatWrite) -> bool:
    """Store the folded beat: the learner's clock, the progress row's figures, its
    session's window, its receipt and, when `write.touch_activity`, the enrollment's
    last lesson and time.

    False when the clock or the progress row is no longer at the version in `context`:
    nothing is written, and the caller folds again under the row locks. Raises
    IntegrityError when the session id was taken by another lesson's beat meanwhile.
    """
    stamp = _db_datetime(beat.now)
    session_id = _db_uuid(write.session.id)
    clock, figures, window = write.clock, write.progress, write.session
    ticks = [
        _db_datetime(clock.credited_until),
        clock.holder_lesson_id,
        _db_datetime(clock.holder_seen_at),
        beat.user_id,
        context.clock_version,
    ]
    times = [
        _db_datetime(window.first_beat_at),
        _db_datetime(window.last_beat_at),
        window.claimed_seconds,
        window.last_seq,
    ]
    activity = [beat.lesson_id, stamp, context.enrollment_id, write.touch_activity]
    progress = [
        json.dumps(figures.ranges),
        figures.watched_seconds,
        figures.credited_seconds,
        figures.position,
        _db_datetime(figures.completed_at),
        stamp,
        context.progress_id,
        context.version,
    ]
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _BEAT_WRITE_PG,
                [
                    *ticks,
                    *progress,
                    session_id,
                    *times,
                    session_id,
                    beat.seq,
                    stamp,
                    *activity,
                ],
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(_CLOCK_UPDATE, ticks)
        if cursor.rowcount != 1:
            return False
        cursor.execute(_PROGRESS_UPDATE, progress)
        if cursor.rowcount != 1:
            return False
        cursor.execute(_SESSION_UPSERT, [session_id, context.progress_id, *times])
        if cursor.rowcount != 1:
            raise IntegrityError("the playback session belongs to another lesson")
        cursor.execute(_RECEIPT_INSERT, [session_id, beat.seq, stamp])
        if write.touch_activity:
            cursor.execute(_ACTIVITY_UPDATE, activity)
    return True
