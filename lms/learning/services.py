"""What happens to enrollments, progress, tests and certificates. One function per operation."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.courses import CoursePage, CourseQuestion, LessonPage
from config.celery import enqueue_on_commit
from config.problems import Conflict, NotFound, PermissionDenied, Problem
from lms.accounts.models import User
from lms.learning.models import (
    Certificate,
    CourseTestAttempt,
    Enrollment,
    HeartbeatReceipt,
    LessonProgress,
    PlaybackSession,
)
from lms.learning.progress import LessonTally, SessionWindow, lesson_fraction
from lms.learning.selectors import course_requirements_met


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


def _enrollment_for_lesson(*, user: User, lesson: LessonPage) -> Enrollment | None:
    """The learner's enrollment in the lesson's course, with the course, in one query.

    The course is the lesson's parent in the page tree, so its path is the lesson's
    path less one step: no query for the parent page first.
    """
    parent_path = lesson.path[: -lesson.steplen]
    return (
        Enrollment.objects.select_related("course")
        # A page row is wide; building all of it took half of this query's time.
        .only(
            "id",
            "user_id",
            "course_id",
            "completed_at",
            "last_lesson_id",
            "last_activity_at",
            "course__path",
            "course__depth",
            "course__title",
            "course__lesson_coverage_percent",
            "course__lesson_time_percent",
            "course__daily_lesson_cap",
            "course__pass_mark",
            "course__survey_required",
        )
        .filter(user=user, course__path=parent_path)
        .first()
    )


def heartbeat_record(
    *,
    user: User,
    lesson: LessonPage,
    session_id: uuid.UUID,
    seq: int,
    ranges: list,
    position: float,
    playback_rate: float,
    now: dt.datetime | None = None,
) -> LessonProgress:
    """Fold one playback heartbeat into the learner's progress in the lesson.

    The row is locked for the whole fold, so concurrent beats (several tabs, retries)
    serialize and none loses its ranges; a (session, seq) seen before changes nothing.
    The returned progress carries `enrollment` with its `course` loaded.

    This runs for every viewer every few seconds, so it keeps to one statement per
    row it reads or writes (benchmarks/heartbeats.py measures it).
    """
    now = now or timezone.now()
    enrollment = _enrollment_for_lesson(user=user, lesson=lesson)
    if enrollment is None:
        raise PermissionDenied(_("수강 신청을 한 뒤에 학습할 수 있습니다."))
    with transaction.atomic():
        progress = (
            LessonProgress.objects.select_for_update()
            .filter(user=user, lesson=lesson)
            .first()
        )
        if progress is None:
            # The first beat of the lesson: create the row (another beat may win the
            # race and create it first), then lock it.
            with transaction.atomic():
                created, _created = LessonProgress.objects.get_or_create(
                    user=user, lesson=lesson, defaults={"enrollment": enrollment}
                )
            progress = LessonProgress.objects.select_for_update().get(pk=created.pk)
        progress.enrollment = enrollment
        # Every session of this progress, read once: the tally needs their windows.
        sessions = list(progress.sessions.all())
        session = next((row for row in sessions if row.id == session_id), None)
        if session is None:
            try:
                with transaction.atomic():
                    session = PlaybackSession.objects.create(
                        id=session_id,
                        progress=progress,
                        first_beat_at=now,
                        last_beat_at=now,
                    )
            except IntegrityError:
                # The id is a session of another lesson or learner.
                raise NotFound(_("재생 세션을 찾을 수 없습니다.")) from None
            sessions.append(session)
        # Under the row lock the receipts of this session cannot change. A seq above
        # the highest seen is new for sure; only a lower one (a retry, or a beat
        # arriving late) needs the receipts looked up.
        if (
            seq <= session.last_seq
            and HeartbeatReceipt.objects.filter(session=session, seq=seq).exists()
        ):
            return progress  # a duplicate: already counted
        HeartbeatReceipt.objects.create(session=session, seq=seq, received_at=now)

        tally = LessonTally(
            duration=lesson.duration,
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
        tally.add_beat(
            session=str(session.id),
            seq=seq,
            ranges=ranges,
            rate=playback_rate,
            at=_epoch(now),
            position=position,
        )
        window = tally.windows[str(session.id)]
        PlaybackSession.objects.filter(pk=session.pk).update(
            first_beat_at=min(session.first_beat_at, now),
            last_beat_at=max(session.last_beat_at, now),
            claimed_seconds=window.claimed,
            last_seq=window.seq,
        )
        progress.ranges = [list(pair) for pair in tally.ranges]
        progress.watched_seconds = tally.watched
        tolerance = settings.LEARNING_HEARTBEAT_TOLERANCE_SECONDS
        # Never down, whatever rounding does.
        progress.credited_seconds = max(
            progress.credited_seconds, tally.credited(tolerance=tolerance)
        )
        progress.position = tally.position
        progress.updated_at = now
        course = enrollment.course
        newly_complete = False
        if progress.completed_at is None:
            _fraction, complete = lesson_fraction(
                watched=progress.watched_seconds,
                credited=progress.credited_seconds,
                duration=lesson.duration,
                coverage_percent=course.lesson_coverage_percent,
                time_percent=course.lesson_time_percent,
            )
            if complete and _daily_cap_allows(
                enrollment=enrollment, course=course, now=now
            ):
                progress.completed_at = now
                newly_complete = True
        progress.save()
        # "Where was I" needs the lesson and roughly when, not a write per beat.
        if (
            enrollment.last_lesson_id != lesson.pk
            or enrollment.last_activity_at is None
            or now - enrollment.last_activity_at >= ACTIVITY_RESOLUTION
        ):
            Enrollment.objects.filter(pk=enrollment.pk).update(
                last_lesson=lesson, last_activity_at=now
            )
        if newly_complete:
            enrollment_completion_check(enrollment=enrollment, now=now)
    return progress


def _daily_cap_allows(*, enrollment: Enrollment, course: CoursePage, now) -> bool:
    """At most `daily_lesson_cap` lessons of the course complete on one (Seoul) day."""
    if not course.daily_lesson_cap:
        return True
    day = timezone.localtime(now).date()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    done_today = LessonProgress.objects.filter(
        enrollment=enrollment,
        completed_at__gte=start,
        completed_at__lt=start + dt.timedelta(days=1),
    ).count()
    return done_today < course.daily_lesson_cap


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
        from lms.learning.tasks import issue_certificate

        pk = enrollment.pk
        # robust: a broker hiccup must not fail the learner's request; the periodic
        # `issue_missing_certificates` task catches up.
        enqueue_on_commit(issue_certificate, pk)
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
        if attempt.passed:
            enrollment_completion_check(enrollment=enrollment)
    return attempt


def course_survey_submit(
    *, enrollment: Enrollment, score: int, comment: str = ""
) -> None:
    """The course's satisfaction survey (lms.surveys), which may complete the course."""
    from lms.surveys.services import survey_response_submit

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
                return Certificate.objects.create(
                    enrollment=enrollment,
                    number=_certificate_number(now),
                    learner_name=enrollment.user.name or enrollment.user.get_username(),
                    course_title=enrollment.course.title,
                    issued_at=now,
                )
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
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoked_reason=reason[:300]
    )
    certificate.refresh_from_db()
    return certificate
