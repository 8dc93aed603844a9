"""The heartbeat's fold as a pure function: the same rows in give the same write out,
and the rules of credit hold without a database."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

import pytest

from lms.learning.beat_fold import (
    Beat,
    BeatContext,
    CreditRules,
    SessionRow,
    fold,
)

RULES = CreditRules(tolerance=5.0, hold=30.0, lookback=60.0)
T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
LESSON, OTHER = 11, 12


def _context(**changes) -> BeatContext:
    values = dict(
        duration=60.0,
        enrollment_id=1,
        enrollment_completed_at=None,
        last_lesson_id=LESSON,
        last_activity_at=T0,
        coverage_percent=90,
        time_percent=90,
        daily_lesson_cap=0,
        progress_id=7,
        ranges=[],
        watched_seconds=0.0,
        credited_seconds=0.0,
        position=0.0,
        completed_at=None,
        version=3,
        credited_until=T0,
        holder_lesson_id=None,
        holder_seen_at=None,
        clock_version=5,
    )
    values.update(changes)
    return BeatContext(**values)


def _beat(seq, start, end, at, session=None, lesson=LESSON) -> Beat:
    return Beat(
        user_id=1,
        lesson_id=lesson,
        session_id=session or uuid.UUID(int=1),
        seq=seq,
        ranges=[[start, end]],
        position=end,
        playback_rate=1.0,
        now=at,
    )


def _session(first, last, claimed, seq) -> SessionRow:
    return SessionRow(
        id=uuid.UUID(int=1),
        progress_id=7,
        first_beat_at=first,
        last_beat_at=last,
        claimed_seconds=claimed,
        last_seq=seq,
    )


def test_the_same_rows_fold_to_the_same_write_and_are_left_as_they_were():
    context = _context(ranges=[[0.0, 10.0]], watched_seconds=10.0)
    sessions = [_session(T0, T0 + dt.timedelta(seconds=10), 10.0, 0)]
    beat = _beat(1, 10, 20, T0 + dt.timedelta(seconds=20))
    before = copy.deepcopy((context, sessions, beat))

    first = fold(context, sessions, beat, RULES)
    again = fold(context, sessions, beat, RULES)

    assert first == again
    assert (context, sessions, beat) == before
    assert first.progress.ranges == [[0.0, 20.0]]
    assert first.progress.watched_seconds == pytest.approx(20.0)
    assert first.session.last_seq == 1
    assert first.session.last_beat_at == beat.now


def test_a_first_beat_opens_its_session_and_time_is_bounded_by_the_server_clock():
    # 40 s of ranges claimed 10 s after the learner's clock started: the time credited
    # is at most the server time since then plus the tolerance.
    beat = _beat(0, 0, 40, T0 + dt.timedelta(seconds=10))

    write = fold(_context(), [], beat, RULES)

    assert write.session.first_beat_at == beat.now
    assert write.progress.credited_seconds <= 10.0 + RULES.tolerance
    assert write.clock.granted == pytest.approx(write.progress.credited_seconds)
    assert write.clock.holder_lesson_id == LESSON
    assert write.completes is False


def test_while_another_lesson_holds_the_credit_a_beat_keeps_its_ranges_not_its_time():
    at = T0 + dt.timedelta(seconds=20)
    held = _context(holder_lesson_id=OTHER, holder_seen_at=at - dt.timedelta(seconds=5))
    sessions = [_session(T0, T0 + dt.timedelta(seconds=10), 10.0, 0)]

    write = fold(held, sessions, _beat(1, 0, 10, at), RULES)

    assert write.credit_held_by == OTHER
    assert write.clock.granted == 0.0
    assert write.progress.credited_seconds == 0.0
    assert write.progress.ranges == [[0.0, 10.0]]
    # Once the holder has been quiet longer than the hold, this lesson takes it.
    quiet = _context(
        holder_lesson_id=OTHER, holder_seen_at=at - dt.timedelta(seconds=31)
    )
    taken = fold(quiet, sessions, _beat(1, 0, 10, at), RULES)
    assert taken.credit_held_by is None
    assert taken.clock.holder_lesson_id == LESSON
    assert taken.clock.granted > 0


def test_the_last_needed_beat_completes_and_the_cap_can_take_it_back():
    at = T0 + dt.timedelta(seconds=60)
    context = _context(
        ranges=[[0.0, 50.0]],
        watched_seconds=50.0,
        credited_seconds=50.0,
        credited_until=T0 + dt.timedelta(seconds=50),
    )
    sessions = [_session(T0, T0 + dt.timedelta(seconds=50), 50.0, 4)]

    write = fold(context, sessions, _beat(5, 50, 60, at), RULES)

    assert write.completes is True
    assert write.progress.completed_at == at
    refused = write.without_completion()
    assert refused.completes is False
    assert refused.progress.completed_at is None
    assert refused.progress.ranges == write.progress.ranges


def test_activity_is_touched_for_another_lesson_or_after_a_minute_only():
    sessions = [_session(T0, T0, 0.0, -1)]
    soon = _beat(0, 0, 10, T0 + dt.timedelta(seconds=30))
    late = _beat(0, 0, 10, T0 + dt.timedelta(seconds=61))

    assert fold(_context(), sessions, soon, RULES).touch_activity is False
    assert fold(_context(), sessions, late, RULES).touch_activity is True
    moved = _context(last_lesson_id=OTHER)
    assert fold(moved, sessions, soon, RULES).touch_activity is True
