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
from lms.learning import beat_fold, beat_store
from lms.learning.beat_fold import (
    Beat,
    BeatContext,
    CreditRules,
    ProgressFigures,
)
from lms.learning.models import (
    Certificate,
    CourseTestAttempt,
    Enrollment,
    LessonProgress,
)
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


@dataclass(frozen=True)
class BeatOutcome:
    """What a heartbeat answers: the lesson's figures after the fold (README, "API")."""

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

    The rules are `beat_fold.fold`'s, a pure function: credit bounded per lesson by
    real time played and per learner by the learner's clock across all lessons, whose
    ranges and position still count when their time does not.

    Concurrent beats of one learner and lesson (several tabs, retries) never lose each
    other's ranges, and a (session, seq) seen before changes nothing. Every viewer
    sends a beat every few seconds, so the rows move through `beat_store` in plain
    SQL. On PostgreSQL the fold is first tried without a lock or a transaction: two
    reads and one write statement that applies only if no other beat wrote the
    progress row since it was read. If one did, the beat is folded again with the row
    locked for the whole fold, as it always is on SQLite.
    """
    beat = Beat(
        user_id=user.pk,
        lesson_id=lesson_id,
        session_id=session_id,
        seq=seq,
        ranges=ranges,
        position=position,
        playback_rate=playback_rate,
        now=now or timezone.now(),
    )
    if connection.vendor == "postgresql":
        outcome = _heartbeat_try(beat, locked=False)
        if outcome is not None:
            return outcome
    with transaction.atomic():
        outcome = _heartbeat_try(beat, locked=True)
    if outcome is None:  # cannot happen while the row is locked
        raise Conflict(
            _("학습 기록을 저장하지 못했습니다. 잠시 후 다시 시도해 주세요.")
        )
    return outcome


def _credit_rules() -> CreditRules:
    return CreditRules(
        tolerance=settings.LEARNING_HEARTBEAT_TOLERANCE_SECONDS,
        hold=settings.LEARNING_CREDIT_HOLD_SECONDS,
        lookback=settings.LEARNING_CREDIT_LOOKBACK_SECONDS,
    )


def _heartbeat_try(beat: Beat, *, locked: bool) -> BeatOutcome | None:
    """One try: read, fold, write. None when another beat wrote the progress row
    or the learner's clock meanwhile."""
    context = beat_store.context_read(
        user_id=beat.user_id, lesson_id=beat.lesson_id, lock=locked
    )
    if context is None:
        raise NotFound(_("차시를 찾을 수 없습니다."))
    if context.enrollment_id is None:
        raise PermissionDenied(_("수강 신청을 한 뒤에 학습할 수 있습니다."))
    if context.progress_id is None or context.clock_version is None:
        # The first beat of the lesson (or of the learner): make the rows (another beat
        # may win the race and make them first), then read them again.
        beat_store.progress_create(
            user_id=beat.user_id,
            lesson_id=beat.lesson_id,
            enrollment_id=context.enrollment_id,
            now=beat.now,
            progress=context.progress_id is None,
            clock=context.clock_version is None,
        )
        context = beat_store.context_read(
            user_id=beat.user_id, lesson_id=beat.lesson_id, lock=locked
        )
    sessions = beat_store.sessions_of(
        progress_id=context.progress_id, session_id=beat.session_id, seq=beat.seq
    )
    own = next((row for row in sessions if row.id == beat.session_id), None)
    if own is not None and own.progress_id != context.progress_id:
        # The id is a session of another lesson or learner.
        raise NotFound(_("재생 세션을 찾을 수 없습니다."))
    if own is not None and own.has_receipt:
        # A duplicate: already counted.
        return _beat_outcome(beat, context, beat_fold.figures_of(context))
    write = beat_fold.fold(context, sessions, beat, _credit_rules())
    if write.completes and not _daily_cap_allows(
        enrollment_id=context.enrollment_id,
        cap=context.daily_lesson_cap,
        now=beat.now,
    ):
        write = write.without_completion()
    try:
        written = beat_store.beat_write(context=context, beat=beat, write=write)
    except IntegrityError:
        # Another lesson's first beat took this new session id meanwhile.
        raise NotFound(_("재생 세션을 찾을 수 없습니다.")) from None
    if not written:
        return None
    if write.completes and context.enrollment_completed_at is None:
        enrollment_completion_check(
            enrollment=Enrollment.objects.select_related("course").get(
                pk=context.enrollment_id
            ),
            now=beat.now,
        )
    return _beat_outcome(
        beat, context, write.progress, credit_held_by=write.credit_held_by
    )


def _beat_outcome(
    beat: Beat,
    context: BeatContext,
    figures: ProgressFigures,
    *,
    credit_held_by: int | None = None,
) -> BeatOutcome:
    progress = LessonProgress(
        id=context.progress_id,
        user_id=beat.user_id,
        lesson_id=beat.lesson_id,
        enrollment_id=context.enrollment_id,
        ranges=figures.ranges,
        watched_seconds=figures.watched_seconds,
        credited_seconds=figures.credited_seconds,
        position=figures.position,
        completed_at=figures.completed_at,
    )
    shown = lesson_figures(
        row=progress,
        duration=context.duration,
        coverage_percent=context.coverage_percent,
        time_percent=context.time_percent,
    )
    return BeatOutcome(progress=progress, credit_held_by=credit_held_by, **shown)


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
