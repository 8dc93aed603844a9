"""The completion rules (README, "Online learning") against simulated learners, figures worked out by hand.

Lessons of 100 s unless said; tolerance 3 s (LEARNING_HEARTBEAT_TOLERANCE_SECONDS);
completion at 80 % coverage and 80 % credited time.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.learning.models import LessonProgress
from lms.learning.progress import LessonTally
from lms.learning.selectors import course_state_for
from lms.learning.services import enrollment_create, heartbeat_record
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player

T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0, 0))
TOLERANCE = 3.0


def deliver(user, lesson, beats) -> LessonProgress:
    progress = None
    for beat in beats:
        progress = heartbeat_record(
            user=user,
            lesson_id=lesson.pk,
            session_id=uuid.UUID(beat.session),
            seq=beat.seq,
            ranges=beat.ranges,
            position=beat.position,
            playback_rate=beat.rate,
            now=T0 + dt.timedelta(seconds=beat.at),
        ).progress
    progress.refresh_from_db()
    return progress


@pytest.fixture
def course(db):
    return course_page(lessons=1, duration=100.0)


@pytest.fixture
def lesson(course):
    return course.get_children().specific().first()


@pytest.fixture
def student(course):
    user = UserFactory()
    enrollment_create(user=user, course=course)
    return user


def test_watching_straight_through_completes(student, lesson, course):
    player = Player(duration=100).start().play(100)

    progress = deliver(student, lesson, player.beats)

    assert progress.watched_seconds == pytest.approx(100)
    # 100 s claimed; window 0..100 s + 3 s tolerance; capped at the duration.
    assert progress.credited_seconds == pytest.approx(100)
    assert progress.completed_at is not None
    state = course_state_for(user=student, course=course)
    assert state.lessons[0].progress == 100.0 and state.lessons[0].completed


def test_seeking_to_the_end_completes_nothing(student, lesson):
    player = Player(duration=100).start().play(5).seek(95).play(5)

    progress = deliver(student, lesson, player.beats)

    # Played 0-5 and 95-100: 10 s covered, 10 s of real time.
    assert progress.watched_seconds == pytest.approx(10)
    assert progress.credited_seconds == pytest.approx(10)
    assert progress.position == pytest.approx(100)
    assert progress.completed_at is None


def test_double_speed_covers_the_media_but_credits_real_time(student, lesson, course):
    # 50 real seconds at 2x: beats of 20 media seconds each, claiming 10 s each.
    player = Player(duration=100, rate=2.0).start().play(50)

    progress = deliver(student, lesson, player.beats)

    assert progress.watched_seconds == pytest.approx(100)
    assert progress.credited_seconds == pytest.approx(50)
    assert progress.completed_at is None
    # Coverage 125 % of its mark, time 50/80 = 62.5 %: the lesser shows.
    assert course_state_for(user=student, course=course).lessons[0].progress == 62.5


def test_a_player_lying_about_its_rate_is_held_to_the_server_clock(student, lesson):
    player = Player(duration=100, rate=2.0).start().play(50)
    for beat in player.beats:
        beat.rate = 1.0  # claims 20 s per 10 s beat

    progress = deliver(student, lesson, player.beats)

    # Claimed 100 s, but the session lasted 50 s of server time (+3 s tolerance).
    assert progress.credited_seconds == pytest.approx(53)
    assert progress.completed_at is None


def test_forged_beat_claiming_ten_minutes_after_ten_seconds(db):
    course = course_page(lessons=1, duration=900.0)
    lesson = course.get_children().specific().first()
    user = UserFactory()
    enrollment_create(user=user, course=course)
    player = Player(duration=900).start()
    player.clock = 10
    player.position = 600
    player._beat([[0, 600]])

    progress = deliver(user, lesson, player.beats)

    # 10 s of server time between the beats, plus the 3 s tolerance.
    assert 10 <= progress.credited_seconds <= 13
    assert progress.completed_at is None


def test_two_tabs_at_once_do_not_double_count(db):
    course = course_page(lessons=1, duration=300.0)
    lesson = course.get_children().specific().first()
    user = UserFactory()
    enrollment_create(user=user, course=course)
    tab_a = Player(duration=300).start().play(100)
    tab_b = Player(duration=300)
    tab_b.position = 100
    tab_b.start().play(100)
    both = sorted(tab_a.beats + tab_b.beats, key=lambda b: b.at)

    progress = deliver(user, lesson, both)

    # 200 s of media covered, but both tabs played during the same 100 s (+3 s).
    assert progress.watched_seconds == pytest.approx(200)
    assert progress.credited_seconds == pytest.approx(103)


def test_two_tabs_one_after_the_other_both_count(db):
    course = course_page(lessons=1, duration=300.0)
    lesson = course.get_children().specific().first()
    user = UserFactory()
    enrollment_create(user=user, course=course)
    tab_a = Player(duration=300).start().play(100)
    tab_b = Player(duration=300, clock=200, position=100).start().play(100)

    progress = deliver(user, lesson, tab_a.beats + tab_b.beats)

    assert progress.credited_seconds == pytest.approx(200)


def _shuffled_with_duplicates(beats, *, seed: int, duplicate_share: float = 0.2):
    """Same beats in another order, 20 % delivered twice, at the same arrival moments."""
    rng = random.Random(seed)
    deliveries = list(beats) + rng.sample(beats, int(len(beats) * duplicate_share))
    rng.shuffle(deliveries)
    first, last = beats[0].at, beats[-1].at
    step = (last - first) / (len(deliveries) - 1)
    return [(b, first + i * step) for i, b in enumerate(deliveries)]


def _tally(deliveries, duration):
    tally, seen = LessonTally(duration=duration), set()
    for beat, at in deliveries:
        if (beat.session, beat.seq) in seen:
            continue
        seen.add((beat.session, beat.seq))
        tally.add_beat(
            session=beat.session,
            seq=beat.seq,
            ranges=beat.ranges,
            rate=beat.rate,
            at=at,
            position=beat.position,
        )
    return tally


def test_ten_thousand_beats_shuffled_with_duplicates_equal_in_order_delivery():
    # 10,000 beats of 10 real seconds at 1.5x over a 150,000 s recording, with a seek
    # back in the middle so that the union has work to do.
    player = Player(duration=150_000, rate=1.5).start().play(50_000)
    player.seek(30_000).play(50_000)
    beats = player.beats
    assert len(beats) >= 10_000

    in_order = _tally([(b, b.at) for b in beats], 150_000)
    shuffled = _tally(_shuffled_with_duplicates(beats, seed=7), 150_000)

    assert shuffled.ranges == in_order.ranges
    assert shuffled.watched == pytest.approx(in_order.watched)
    assert shuffled.credited(tolerance=TOLERANCE) == pytest.approx(
        in_order.credited(tolerance=TOLERANCE)
    )
    assert shuffled.position == in_order.position
    # Hand figures: 0..75,000 then 30,000..105,000 played, one range 0..105,000;
    # credited = the 100,000 real seconds played (window 100,000 s + 3 s).
    assert in_order.ranges == [(0.0, 105_000.0)]
    assert in_order.credited(tolerance=TOLERANCE) == pytest.approx(100_000)


def test_shuffled_duplicated_delivery_through_the_service_gives_the_same_rows(
    course, lesson
):
    beats = Player(duration=100, every=1.0).start().play(40).seek(70).play(25).beats
    in_order_user, shuffled_user = UserFactory(), UserFactory()
    for user in (in_order_user, shuffled_user):
        enrollment_create(user=user, course=course)

    a = deliver(in_order_user, lesson, beats)
    other_tab = str(uuid.uuid4())  # the second learner's own playback session
    shuffled = []
    for beat, at in _shuffled_with_duplicates(beats, seed=3):
        shuffled.append(type(beat)(**{**beat.__dict__, "at": at, "session": other_tab}))
    b = deliver(shuffled_user, lesson, shuffled)

    assert a.ranges == b.ranges == [[0.0, 40.0], [70.0, 95.0]]
    assert a.watched_seconds == b.watched_seconds == pytest.approx(65)
    assert a.credited_seconds == pytest.approx(b.credited_seconds)
    assert a.credited_seconds == pytest.approx(65)
    assert a.position == b.position == pytest.approx(95)


beat_strategy = st.tuples(
    st.floats(0, 120), st.floats(0, 30), st.sampled_from([0.5, 1.0, 1.5, 2.0, 16.0])
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), beat_strategy, st.floats(0, 20)), max_size=40)
)
def test_progress_never_goes_down(script):
    tally, clock = LessonTally(duration=100), 0.0
    sessions = ["a", "b", "c"]
    seqs = {s: 0 for s in sessions}
    previous = (0.0, 0.0)
    for session_index, (start, length, rate), wait in script:
        session = sessions[session_index]
        clock += wait
        tally.add_beat(
            session=session,
            seq=seqs[session],
            ranges=[[start, start + length]],
            rate=rate,
            at=clock,
            position=start + length,
        )
        seqs[session] += 1
        now = (tally.watched, tally.credited(tolerance=TOLERANCE))
        assert now[0] >= previous[0] - 1e-9 and now[1] >= previous[1] - 1e-9
        assert now[0] <= 100 and now[1] <= 100
        assert now[1] <= clock + TOLERANCE * len(sessions)
        previous = now


def test_a_duplicate_beat_changes_nothing_and_a_late_one_adds_its_range(
    student, lesson
):
    session = uuid.uuid4()

    def beat(seq, ranges, at):
        return heartbeat_record(
            user=student,
            lesson_id=lesson.pk,
            session_id=session,
            seq=seq,
            ranges=ranges,
            position=ranges[-1][1] if ranges else 0,
            playback_rate=1.0,
            now=T0 + dt.timedelta(seconds=at),
        ).progress

    beat(0, [], 0)
    beat(2, [[10, 20]], 20)
    first = beat(1, [[0, 10]], 21)  # late
    again = beat(1, [[0, 10]], 40)  # duplicate, much later

    assert first.ranges == [[0.0, 20.0]]
    assert again.ranges == [[0.0, 20.0]]
    again.refresh_from_db()
    assert again.credited_seconds == pytest.approx(20)
    assert again.position == pytest.approx(20)  # seq 2 is the newest


def test_daily_cap_holds_completion_until_the_next_day(db):
    course = course_page(lessons=3, duration=30.0, daily_lesson_cap=2)
    lessons = list(course.get_children().specific())
    user = UserFactory()
    enrollment_create(user=user, course=course)

    results = []
    for offset, lesson in enumerate(lessons):
        player = Player(duration=30, clock=offset * 100.0).start().play(30)
        results.append(deliver(user, lesson, player.beats))

    assert [r.completed_at is not None for r in results] == [True, True, False]
    next_day = Player(duration=30, clock=86_400.0, position=29).start().play(1)
    assert deliver(user, lessons[2], next_day.beats).completed_at is not None


def test_last_studied_lesson_and_time_follow_the_beats_a_minute_at_a_time(db):
    """The enrollment's "last studied" is written when the lesson changes or a minute
    has passed, not on every beat."""
    from lms.learning.models import Enrollment

    course = course_page(lessons=2, duration=600.0)
    first, second = course.get_children().specific()
    user = UserFactory()
    enrollment_create(user=user, course=course)
    session = uuid.uuid4()
    seq = iter(range(100))

    def beat(lesson, at):
        heartbeat_record(
            user=user,
            lesson_id=lesson.pk,
            session_id=session if lesson == first else uuid.UUID(int=at),
            seq=next(seq),
            ranges=[[at, at + 10]],
            position=at + 10,
            playback_rate=1.0,
            now=T0 + dt.timedelta(seconds=at),
        )
        row = Enrollment.objects.get(user=user, course=course)
        return row.last_lesson_id, (row.last_activity_at - T0).total_seconds()

    assert beat(first, 0) == (first.pk, 0)
    assert beat(first, 10) == (first.pk, 0)  # same lesson, within the minute
    assert beat(first, 60) == (first.pk, 60)  # a minute on
    assert beat(second, 70) == (second.pk, 70)  # another lesson: at once
