"""What happens to enrollments, progress, tests and certificates. One function per operation."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.courses import CoursePage, CourseQuestion
from core import audit
from core.problems import Conflict, NotFound, PermissionDenied, Problem
from core.tasks import enqueue_on_commit
from lms.accounts.models import User
from lms.learning import beat_store
from lms.learning.models import (
    Certificate,
    CourseTestAttempt,
    Enrollment,
    LearnerClock,
    LessonProgress,
)
from lms.learning.progress import LessonTally, SessionWindow, lesson_fraction
from lms.learning.selectors import (
    course_requirements_met,
    lesson_figures,
    required_lessons_complete,
)
from lms.records import services as records
from lms.surveys.services import survey_response_submit


def enrollment_create(*, user: User, course: CoursePage) -> Enrollment:
    """Enroll a learner; enrolling twice returns the same enrollment."""
    if not course.live:
        raise NotFound(_("강의를 찾을 수 없습니다."))
    enrollment, _created = Enrollment.objects.get_or_create(user=user, course=course)
    return enrollment


def _epoch(moment: dt.datetime) -> float:
    return moment.timestamp()


#: How fresh an enrollment's "last studied" time is kept while a lesson plays.
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class BeatOutcome:
    """What a heartbeat answers: the lesson's figures after the fold (CONTRACTS.md)."""

    progress: LessonProgress  # the stored row as it now stands
    watched_seconds: float
    credited_seconds: float
    percent: float  # 0..100
    completed: bool
    # The lesson whose beats earn the learner's time while this one's earn nothing.
    credit_held_by: int | None = None


def heartbeat_record(
    *,
    user: User,
    lesson_id: int,
    session_id: uuid.UUID,
    seq: int,
    ranges: list,
    position: float,
    playback_rate: float,
    now: dt.datetime | None = None,
) -> BeatOutcome:
    """Fold one playback heartbeat into the learner's progress in the lesson.

    Credit is bounded per lesson (progress.py: real time played, at most the union of
    the sessions' windows of server time) and then per learner, across all lessons and
    courses (`_credit_grant`): the learner's clock never runs ahead of the server's by
    more than the tolerance, and while one lesson keeps beating, the beats of another
    earn nothing. Their ranges and position still count: the time does not.

    Concurrent beats of one learner and lesson (several tabs, retries) never lose each
    other's ranges, and a (session, seq) seen before changes nothing. Every viewer
    sends a beat every few seconds, so the rows move through `beat_store` in plain
    SQL. On PostgreSQL the fold is first tried without a lock or a transaction: two
    reads and one write statement that applies only if no other beat wrote the
    progress row since it was read. If one did, the beat is folded again with the row
    locked for the whole fold, as it always is on SQLite.
    """
    now = now or timezone.now()
    beat = {
        "user_id": user.pk,
        "lesson_id": lesson_id,
        "session_id": session_id,
        "seq": seq,
        "ranges": ranges,
        "position": position,
        "playback_rate": playback_rate,
        "now": now,
    }
    if connection.vendor == "postgresql":
        outcome = _heartbeat_fold(**beat, locked=False)
        if outcome is not None:
            return outcome
    with transaction.atomic():
        outcome = _heartbeat_fold(**beat, locked=True)
    if outcome is None:  # cannot happen while the row is locked
        raise Conflict(
            _("학습 기록을 저장하지 못했습니다. 잠시 후 다시 시도해 주세요.")
        )
    return outcome


def _heartbeat_fold(
    *,
    user_id: int,
    lesson_id: int,
    session_id: uuid.UUID,
    seq: int,
    ranges: list,
    position: float,
    playback_rate: float,
    now: dt.datetime,
    locked: bool,
) -> BeatOutcome | None:
    """One try of the fold; None when another beat wrote the progress row meanwhile."""
    context = beat_store.context_read(user_id=user_id, lesson_id=lesson_id, lock=locked)
    if context is None:
        raise NotFound(_("차시를 찾을 수 없습니다."))
    if context.enrollment_id is None:
        raise PermissionDenied(_("수강 신청을 한 뒤에 학습할 수 있습니다."))
    if context.progress_id is None or context.clock_version is None:
        # The first beat of the lesson (or of the learner): make the rows (another beat
        # may win the race and make them first), then read them again.
        beat_store.progress_create(
            user_id=user_id,
            lesson_id=lesson_id,
            enrollment_id=context.enrollment_id,
            now=now,
            progress=context.progress_id is None,
            clock=context.clock_version is None,
        )
        context = beat_store.context_read(
            user_id=user_id, lesson_id=lesson_id, lock=locked
        )
    progress = LessonProgress(
        id=context.progress_id,
        user_id=user_id,
        lesson_id=lesson_id,
        enrollment_id=context.enrollment_id,
        ranges=context.ranges,
        watched_seconds=context.watched_seconds,
        credited_seconds=context.credited_seconds,
        position=context.position,
        completed_at=context.completed_at,
    )
    sessions = beat_store.sessions_of(
        progress_id=progress.pk, session_id=session_id, seq=seq
    )
    session = next((row for row in sessions if row.id == session_id), None)
    if session is not None and session.progress_id != progress.pk:
        # The id is a session of another lesson or learner.
        raise NotFound(_("재생 세션을 찾을 수 없습니다."))
    if session is not None and session.has_receipt:
        return _beat_outcome(progress, context)  # a duplicate: already counted
    if session is None:
        session = beat_store.SessionRow(
            id=session_id,
            progress_id=progress.pk,
            first_beat_at=now,
            last_beat_at=now,
            claimed_seconds=0.0,
            last_seq=-1,
            has_receipt=False,
        )
        sessions.append(session)

    tally = LessonTally(
        duration=context.duration,
        ranges=[tuple(pair) for pair in progress.ranges],
        position=progress.position,
    )
    for row in sessions:
        tally.windows[str(row.id)] = SessionWindow(
            first=_epoch(row.first_beat_at),
            last=_epoch(row.last_beat_at),
            claimed=row.claimed_seconds,
            seq=row.last_seq,
        )
    tolerance = settings.LEARNING_HEARTBEAT_TOLERANCE_SECONDS
    bound_before = tally.credited(tolerance=tolerance)
    tally.add_beat(
        session=str(session.id),
        seq=seq,
        ranges=ranges,
        rate=playback_rate,
        at=_epoch(now),
        position=position,
    )
    window = tally.windows[str(session.id)]
    session.first_beat_at = min(session.first_beat_at, now)
    session.last_beat_at = max(session.last_beat_at, now)
    session.claimed_seconds = window.claimed
    session.last_seq = window.seq
    progress.ranges = [list(pair) for pair in tally.ranges]
    progress.watched_seconds = tally.watched
    # What this beat adds to the lesson's own bound, then what the learner's clock
    # lets it keep. What it may not keep is gone: a later beat adds only its own.
    clock, held_by = _credit_grant(
        context=context,
        user_id=user_id,
        lesson_id=lesson_id,
        gain=max(0.0, tally.credited(tolerance=tolerance) - bound_before),
        now=now,
        tolerance=tolerance,
    )
    progress.credited_seconds = min(
        progress.credited_seconds + clock.granted,
        max(progress.credited_seconds, context.duration),  # never down
    )
    progress.position = tally.position
    progress.updated_at = now
    newly_complete = False
    if progress.completed_at is None:
        _fraction, complete = lesson_fraction(
            watched=progress.watched_seconds,
            credited=progress.credited_seconds,
            duration=context.duration,
            coverage_percent=context.coverage_percent,
            time_percent=context.time_percent,
        )
        if complete and _daily_cap_allows(
            enrollment_id=context.enrollment_id,
            cap=context.daily_lesson_cap,
            now=now,
        ):
            progress.completed_at = now
            newly_complete = True
    try:
        written = beat_store.beat_write(
            progress=progress,
            version=context.version,
            clock=clock,
            session=session,
            seq=seq,
            now=now,
            # "Where was I" needs the lesson and roughly when, not a write per beat.
            touch_activity=(
                context.last_lesson_id != lesson_id
                or context.last_activity_at is None
                or now - context.last_activity_at >= ACTIVITY_RESOLUTION
            ),
        )
    except IntegrityError:
        # Another lesson's first beat took this new session id meanwhile.
        raise NotFound(_("재생 세션을 찾을 수 없습니다.")) from None
    if not written:
        return None
    if newly_complete and context.enrollment_completed_at is None:
        enrollment_completion_check(
            enrollment=Enrollment.objects.select_related("course").get(
                pk=context.enrollment_id
            ),
            now=now,
        )
    return _beat_outcome(progress, context, credit_held_by=held_by)


def _credit_grant(
    *,
    context: beat_store.BeatContext,
    user_id: int,
    lesson_id: int,
    gain: float,
    now: dt.datetime,
    tolerance: float,
) -> tuple[LearnerClock, int | None]:
    """How much of a beat's `gain` (seconds the lesson's own bound grew by) the learner
    keeps, as the clock to write (its `granted`), and the lesson holding the credit
    when it is another one.

    The rule: the lesson already playing keeps the credit. While the holder's last beat
    is less than LEARNING_CREDIT_HOLD_SECONDS old, another lesson's beats earn nothing;
    after that, the next lesson to beat becomes the holder. And whoever holds it, the
    learner's clock `credited_until` moves forward by exactly what is granted and may
    not pass the beat's server time plus the tolerance. It starts at the learner's first
    beat, and wall time older than LEARNING_CREDIT_LOOKBACK_SECONDS that no beat took is
    skipped (a late beat may still take the recent part). So from the learner's first
    beat, all lessons together never earn more than the wall time to the latest beat plus
    the tolerance; over any shorter stretch, at most the lookback more.
    """
    at = _epoch(now)
    hold = settings.LEARNING_CREDIT_HOLD_SECONDS
    lookback = settings.LEARNING_CREDIT_LOOKBACK_SECONDS
    clock = LearnerClock(
        user_id=user_id,
        credited_until=context.credited_until or now,
        holder_lesson_id=context.holder_lesson_id,
        holder_seen_at=context.holder_seen_at,
        version=context.clock_version,
    )
    clock.granted = 0.0
    holder = context.holder_lesson_id
    if (
        holder is not None
        and holder != lesson_id
        and context.holder_seen_at is not None
        and at - _epoch(context.holder_seen_at) < hold
    ):
        return clock, holder  # written unchanged: every beat raises the version
    base = max(_epoch(clock.credited_until), at - lookback)
    granted = max(0.0, min(gain, at + tolerance - base))
    clock.granted = granted
    clock.credited_until = dt.datetime.fromtimestamp(base + granted, tz=dt.UTC)
    clock.holder_lesson_id = lesson_id
    clock.holder_seen_at = max(context.holder_seen_at or now, now)
    return clock, None


def _beat_outcome(
    progress: LessonProgress,
    context: beat_store.BeatContext,
    *,
    credit_held_by: int | None = None,
) -> BeatOutcome:
    figures = lesson_figures(
        row=progress,
        duration=context.duration,
        coverage_percent=context.coverage_percent,
        time_percent=context.time_percent,
    )
    return BeatOutcome(progress=progress, credit_held_by=credit_held_by, **figures)


def _daily_cap_allows(*, enrollment_id: int, cap: int, now: dt.datetime) -> bool:
    """At most `cap` lessons of the course complete on one (Seoul) day; 0 is no cap."""
    if not cap:
        return True
    day = timezone.localtime(now).date()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    done_today = LessonProgress.objects.filter(
        enrollment_id=enrollment_id,
        completed_at__gte=start,
        completed_at__lt=start + dt.timedelta(days=1),
    ).count()
    return done_today < cap


def enrollment_completion_check(
    *, enrollment: Enrollment, now: dt.datetime | None = None
) -> bool:
    """Mark the course complete when its rules are met and schedule the certificate.

    Safe to call any number of times: only the call that sets `completed_at` schedules
    the task, and the task itself issues at most one certificate.
    """
    if enrollment.completed_at is not None:
        return True
    if not course_requirements_met(enrollment=enrollment):
        return False
    now = now or timezone.now()
    marked = Enrollment.objects.filter(
        pk=enrollment.pk, completed_at__isnull=True
    ).update(completed_at=now)
    enrollment.completed_at = now
    if marked:
        # Late: tasks.py imports this module (tasks call services, services queue tasks).
        from lms.learning.tasks import issue_certificate

        pk = enrollment.pk
        # robust: a broker hiccup must not fail the learner's request; the periodic
        # `issue_missing_certificates` task catches up.
        enqueue_on_commit(issue_certificate, pk)
        records.record_completion(enrollment=enrollment)
    return True


# --- Course test (평가) -------------------------------------------------------------------


def course_test_start(*, enrollment: Enrollment) -> CourseTestAttempt:
    """The open attempt, or a new one with questions drawn at random from the bank."""
    course = enrollment.course
    attempts = list(enrollment.test_attempts.all())
    if any(a.passed for a in attempts):
        raise Conflict(_("이미 평가에 합격했습니다."))
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt is not None:
        return open_attempt
    if len(attempts) >= course.test_attempts_limit:
        raise Conflict(_("평가 응시 횟수를 모두 사용했습니다."))
    if not required_lessons_complete(enrollment=enrollment):
        raise Conflict(_("필수 차시를 모두 이수하면 평가를 볼 수 있습니다."))
    bank = list(
        CourseQuestion.objects.filter(course=course).values_list("pk", flat=True)
    )
    if not bank:
        raise NotFound(_("이 강의에는 평가가 없습니다."))
    # The system generator: a learner must not be able to predict the questions drawn.
    drawn = secrets.SystemRandom().sample(
        bank, min(course.test_question_count, len(bank))
    )
    return CourseTestAttempt.objects.create(enrollment=enrollment, question_ids=drawn)


def course_test_submit(
    *,
    attempt: CourseTestAttempt,
    answers: dict[int, int],
    now: dt.datetime | None = None,
) -> CourseTestAttempt:
    """Grade an attempt out of 100; a pass may complete the course."""
    with transaction.atomic():
        attempt = CourseTestAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise Conflict(_("이미 제출한 평가입니다."))
        questions = {
            q.pk: q for q in CourseQuestion.objects.filter(pk__in=attempt.question_ids)
        }
        if not questions:
            raise Problem(_("평가 문항이 없습니다."))
        correct = sum(
            1
            for pk, question in questions.items()
            if answers.get(pk) == question.answer
        )
        enrollment = attempt.enrollment
        attempt.answers = {str(k): v for k, v in answers.items() if k in questions}
        attempt.score = round(100 * correct / len(questions))
        attempt.passed = attempt.score >= enrollment.course.pass_mark
        attempt.submitted_at = now or timezone.now()
        attempt.save()
        records.record_test_attempt(attempt=attempt, enrollment=enrollment)
        if attempt.passed:
            enrollment_completion_check(enrollment=enrollment)
    return attempt


def course_survey_submit(
    *, enrollment: Enrollment, score: int, comment: str = ""
) -> None:
    """The course's satisfaction survey (lms.surveys), which may complete the course."""

    if not required_lessons_complete(enrollment=enrollment):
        raise Conflict(_("필수 차시를 모두 이수하면 만족도 조사에 응답할 수 있습니다."))
    with transaction.atomic():
        survey_response_submit(
            subject=enrollment.course,
            score=score,
            comment=comment,
            user=enrollment.user,
        )
        enrollment_completion_check(enrollment=enrollment)


# --- Certificates (수료증) ---------------------------------------------------------------

# No 0/O or 1/I/L: the number is read aloud and typed by hand.
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _certificate_number(now: dt.datetime) -> str:
    tail = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
    return f"SLA-{timezone.localtime(now):%Y}-{tail[:4]}-{tail[4:]}"


def certificate_issue(*, enrollment_id: int) -> Certificate:
    """Issue the certificate of a completed enrollment, once: later calls return it."""
    enrollment = Enrollment.objects.select_related("user", "course").get(
        pk=enrollment_id
    )
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if enrollment.completed_at is None:
        raise Conflict(_("수료하지 않은 수강에는 수료증을 발급할 수 없습니다."))
    for _attempt in range(5):
        now = timezone.now()
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrollment=enrollment,
                    number=_certificate_number(now),
                    learner_name=enrollment.user.name or enrollment.user.get_username(),
                    course_title=enrollment.course.title,
                    issued_at=now,
                )
                audit.record(
                    actor=None,
                    action="learning.certificate.issue",
                    subject=certificate,
                    summary=certificate.number,
                )
                records.record_certificate(
                    certificate=certificate, enrollment=enrollment
                )
                return certificate
        except IntegrityError:
            existing = Certificate.objects.filter(enrollment=enrollment).first()
            if existing is not None:
                return existing  # another delivery of the task won the race
    raise Conflict(_("수료증 번호를 만들지 못했습니다. 다시 시도해 주세요."))


def certificate_revoke(
    *, certificate: Certificate, by: User, reason: str
) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise Problem(_("취소 사유를 적어 주세요."))
    with transaction.atomic():
        revoked = Certificate.objects.filter(
            pk=certificate.pk, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=by, revoked_reason=reason[:300])
        certificate.refresh_from_db()
        if revoked:
            audit.record(
                actor=by,
                action="learning.certificate.revoke",
                subject=certificate,
                summary=f"{certificate.number}: {reason}",
                data={"reason": reason[:300]},
            )
            records.record_certificate_revoked(
                certificate=certificate, enrollment=certificate.enrollment
            )
    return certificate
