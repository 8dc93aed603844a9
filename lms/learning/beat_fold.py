"""The fold of one playback heartbeat, as a pure function: rows in, rows to write out.

`fold(context, sessions, beat, rules)` reads nothing and writes nothing. `beat_store`
reads its inputs and writes its result in plain SQL; `services.heartbeat_record` holds
the order of the two and what only the database can answer (the daily cap).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from lms.learning.progress import LessonTally, SessionWindow, lesson_fraction

#: How fresh an enrollment's "last studied" time is kept while a lesson plays.
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class BeatContext:
    """The lesson, the learner's enrollment in its course, the progress row and the
    learner's clock, as one read of the store (beat_store.context_read)."""

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


@dataclass(frozen=True)
class SessionRow:
    """One playback session of the progress (models.PlaybackSession)."""

    id: uuid.UUID
    progress_id: int
    first_beat_at: dt.datetime
    last_beat_at: dt.datetime
    claimed_seconds: float
    last_seq: int
    has_receipt: bool = (
        False  # of the beat being folded (only asked of its own session)
    )


@dataclass(frozen=True)
class Beat:
    """One heartbeat as the API's schema parsed it, with the server time it arrived."""

    user_id: int
    lesson_id: int
    session_id: uuid.UUID
    seq: int
    ranges: list
    position: float
    playback_rate: float
    now: dt.datetime


@dataclass(frozen=True)
class CreditRules:
    """The settings the fold reads (LEARNING_HEARTBEAT_TOLERANCE_SECONDS and the
    LEARNING_CREDIT_* pair), passed in so that the fold stays pure."""

    tolerance: float
    hold: float
    lookback: float


@dataclass(frozen=True)
class ProgressFigures:
    """The progress row's figures after the fold (models.LessonProgress)."""

    ranges: list
    watched_seconds: float
    credited_seconds: float
    position: float
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class ClockWrite:
    """The learner's clock after the fold, and what of the beat's gain it granted."""

    credited_until: dt.datetime
    holder_lesson_id: int | None
    holder_seen_at: dt.datetime | None
    granted: float


@dataclass(frozen=True)
class BeatWrite:
    """Everything one beat writes. `completes`: this beat completes the lesson."""

    progress: ProgressFigures
    clock: ClockWrite
    session: SessionRow
    touch_activity: bool
    completes: bool
    credit_held_by: int | None  # the lesson holding the learner's credit, if another

    def without_completion(self) -> BeatWrite:
        """The same write with the lesson left open (the daily cap refused it)."""
        return replace(
            self, progress=replace(self.progress, completed_at=None), completes=False
        )


def figures_of(context: BeatContext) -> ProgressFigures:
    """The progress row's figures as read, before any fold."""
    return ProgressFigures(
        ranges=context.ranges,
        watched_seconds=context.watched_seconds,
        credited_seconds=context.credited_seconds,
        position=context.position,
        completed_at=context.completed_at,
    )


def _epoch(moment: dt.datetime) -> float:
    return moment.timestamp()


def fold(
    context: BeatContext, sessions: list[SessionRow], beat: Beat, rules: CreditRules
) -> BeatWrite:
    """Fold `beat` into the lesson's progress and the learner's clock.

    `sessions` are the progress's playback sessions; the beat's own session is among
    them unless this is its first beat. Credit is bounded per lesson (progress.py: real
    time played, at most the union of the sessions' windows of server time) and then
    per learner across all lessons (`clock_grant`). The lesson completes when its
    figures meet the course's rule; the daily cap is the caller's to apply.
    """
    now = beat.now
    session = next((row for row in sessions if row.id == beat.session_id), None)
    if session is None:
        session = SessionRow(
            id=beat.session_id,
            progress_id=context.progress_id,
            first_beat_at=now,
            last_beat_at=now,
            claimed_seconds=0.0,
            last_seq=-1,
        )
        sessions = [*sessions, session]
    tally = LessonTally(
        duration=context.duration,
        ranges=[tuple(pair) for pair in context.ranges],
        position=context.position,
    )
    for row in sessions:
        tally.windows[str(row.id)] = SessionWindow(
            first=_epoch(row.first_beat_at),
            last=_epoch(row.last_beat_at),
            claimed=row.claimed_seconds,
            seq=row.last_seq,
        )
    bound_before = tally.credited(tolerance=rules.tolerance)
    tally.add_beat(
        session=str(session.id),
        seq=beat.seq,
        ranges=beat.ranges,
        rate=beat.playback_rate,
        at=_epoch(now),
        position=beat.position,
    )
    window = tally.windows[str(session.id)]
    session = replace(
        session,
        first_beat_at=min(session.first_beat_at, now),
        last_beat_at=max(session.last_beat_at, now),
        claimed_seconds=window.claimed,
        last_seq=window.seq,
    )
    # What this beat adds to the lesson's own bound, then what the learner's clock
    # lets it keep. What it may not keep is gone: a later beat adds only its own.
    clock, held_by = clock_grant(
        context,
        lesson_id=beat.lesson_id,
        gain=max(0.0, tally.credited(tolerance=rules.tolerance) - bound_before),
        now=now,
        rules=rules,
    )
    credited = min(
        context.credited_seconds + clock.granted,
        max(context.credited_seconds, context.duration),  # never down
    )
    completed_at = context.completed_at
    completes = False
    if completed_at is None:
        _fraction, completes = lesson_fraction(
            watched=tally.watched,
            credited=credited,
            duration=context.duration,
            coverage_percent=context.coverage_percent,
            time_percent=context.time_percent,
        )
        completed_at = now if completes else None
    return BeatWrite(
        progress=ProgressFigures(
            ranges=[list(pair) for pair in tally.ranges],
            watched_seconds=tally.watched,
            credited_seconds=credited,
            position=tally.position,
            completed_at=completed_at,
        ),
        clock=clock,
        session=session,
        # "Where was I" needs the lesson and roughly when, not a write per beat.
        touch_activity=(
            context.last_lesson_id != beat.lesson_id
            or context.last_activity_at is None
            or now - context.last_activity_at >= ACTIVITY_RESOLUTION
        ),
        completes=completes,
        credit_held_by=held_by,
    )


def clock_grant(
    context: BeatContext,
    *,
    lesson_id: int,
    gain: float,
    now: dt.datetime,
    rules: CreditRules,
) -> tuple[ClockWrite, int | None]:
    """How much of a beat's `gain` (seconds the lesson's own bound grew by) the learner
    keeps, as the clock to write (its `granted`), and the lesson holding the credit
    when it is another one.

    The rule: the lesson already playing keeps the credit. While the holder's last beat
    is less than `rules.hold` seconds old, another lesson's beats earn nothing; after
    that, the next lesson to beat becomes the holder. And whoever holds it, the
    learner's clock `credited_until` moves forward by exactly what is granted and may
    not pass the beat's server time plus the tolerance. It starts at the learner's first
    beat, and wall time older than `rules.lookback` seconds that no beat took is
    skipped (a late beat may still take the recent part). So from the learner's first
    beat, all lessons together never earn more than the wall time to the latest beat plus
    the tolerance; over any shorter stretch, at most the lookback more.
    """
    at = _epoch(now)
    credited_until = context.credited_until or now
    holder = context.holder_lesson_id
    if (
        holder is not None
        and holder != lesson_id
        and context.holder_seen_at is not None
        and at - _epoch(context.holder_seen_at) < rules.hold
    ):
        # Written unchanged: every beat raises the version.
        unchanged = ClockWrite(
            credited_until=credited_until,
            holder_lesson_id=holder,
            holder_seen_at=context.holder_seen_at,
            granted=0.0,
        )
        return unchanged, holder
    base = max(_epoch(credited_until), at - rules.lookback)
    granted = max(0.0, min(gain, at + rules.tolerance - base))
    return (
        ClockWrite(
            credited_until=dt.datetime.fromtimestamp(base + granted, tz=dt.UTC),
            holder_lesson_id=lesson_id,
            holder_seen_at=max(context.holder_seen_at or now, now),
            granted=granted,
        ),
        None,
    )
