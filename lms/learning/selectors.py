"""Reading learner state: progress of a lesson and a course, the dashboard, staff lists.

Query counts stay flat as courses, lessons and enrollments grow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cms.courses import CoursePage, CourseQuestion, LessonPage
from lms.accounts.models import User
from lms.learning import deadlines
from lms.learning.models import (
    Certificate,
    CourseTestAttempt,
    Enrollment,
    LessonProgress,
)
from lms.learning.progress import lesson_fraction
from lms.surveys.selectors import survey_answered


def course_lessons(*, course: CoursePage) -> list[LessonPage]:
    """Live lessons in page-tree order, with their videos."""
    return list(
        LessonPage.objects.child_of(course)
        .live()
        .select_related("video")
        .order_by("path")
    )


@dataclass
class LessonState:
    lesson: LessonPage
    watched_seconds: float = 0.0
    credited_seconds: float = 0.0
    position: float = 0.0
    progress: float = 0.0  # 0..100
    completed: bool = False


@dataclass
class CourseState:
    course: CoursePage
    enrollment: Enrollment | None
    lessons: list[LessonState] = field(default_factory=list)
    progress: float = 0.0  # 0..100 over required lessons
    completed: bool = False
    test_passed: bool = False
    test_attempts_left: int = 0
    lessons_complete: bool = False
    has_test: bool = False
    survey_answered: bool = False
    certificate: Certificate | None = None

    @property
    def resume_lesson(self) -> LessonState | None:
        """Where to continue: the last lesson played if unfinished, else the first unfinished."""
        last_id = self.enrollment.last_lesson_id if self.enrollment else None
        for state in self.lessons:
            if state.lesson.pk == last_id and not state.completed:
                return state
        return next((s for s in self.lessons if not s.completed), None)


def lesson_figures(
    *, row: LessonProgress, duration: float, coverage_percent: int, time_percent: int
) -> dict:
    """A progress row as the learner sees it: rounded seconds, percent, completed."""
    fraction, _complete = lesson_fraction(
        watched=row.watched_seconds,
        credited=row.credited_seconds,
        duration=duration,
        coverage_percent=coverage_percent,
        time_percent=time_percent,
    )
    completed = row.completed_at is not None
    return {
        "watched_seconds": round(row.watched_seconds, 1),
        "credited_seconds": round(row.credited_seconds, 1),
        "percent": 100.0 if completed else round(min(fraction, 0.999) * 100, 1),
        "completed": completed,
    }


def lesson_state_of(
    *, lesson: LessonPage, course: CoursePage, row: LessonProgress | None
) -> LessonState:
    state = LessonState(lesson=lesson)
    if row is None:
        return state
    figures = lesson_figures(
        row=row,
        duration=lesson.duration,
        coverage_percent=course.lesson_coverage_percent,
        time_percent=course.lesson_time_percent,
    )
    state.watched_seconds = figures["watched_seconds"]
    state.credited_seconds = figures["credited_seconds"]
    state.position = row.position
    state.completed = figures["completed"]
    state.progress = figures["percent"]
    return state


def course_state_for(*, user: User, course: CoursePage) -> CourseState:
    """Everything the course page, the API and the dashboard show about one learner."""

    enrollment = (
        Enrollment.objects.filter(user=user, course=course)
        .select_related("certificate")
        .first()
        if user.is_authenticated
        else None
    )
    lessons = course_lessons(course=course)
    rows = {}
    if enrollment is not None:
        rows = {
            row.lesson_id: row
            for row in LessonProgress.objects.filter(
                user=user, lesson__in=[lesson.pk for lesson in lessons]
            ).only(
                "lesson_id",
                "watched_seconds",
                "credited_seconds",
                "position",
                "completed_at",
            )
        }
    state = CourseState(course=course, enrollment=enrollment)
    state.lessons = [
        lesson_state_of(lesson=lesson, course=course, row=rows.get(lesson.pk))
        for lesson in lessons
    ]
    required = [s for s in state.lessons if s.lesson.required]
    if required:
        state.progress = round(sum(s.progress for s in required) / len(required), 1)
    state.lessons_complete = bool(required) and all(s.completed for s in required)
    state.has_test = course.questions.exists()
    if enrollment is not None:
        attempts = list(enrollment.test_attempts.all())
        state.test_passed = any(a.passed for a in attempts)
        state.test_attempts_left = max(0, course.test_attempts_limit - len(attempts))
        state.survey_answered = survey_answered(subject=course, user=user)
        state.completed = enrollment.completed_at is not None
        state.certificate = getattr(enrollment, "certificate", None)
    return state


def required_lessons_complete(*, enrollment: Enrollment) -> bool:
    """The course's lesson rule: every required lesson complete (and at least one). The
    test and the survey open only then."""
    required = (
        LessonPage.objects.child_of(enrollment.course).live().filter(required=True)
    )
    incomplete = required.exclude(
        pk__in=LessonProgress.objects.filter(
            enrollment=enrollment, completed_at__isnull=False
        ).values("lesson_id")
    )
    return required.exists() and not incomplete.exists()


def course_requirements_met(*, enrollment: Enrollment) -> bool:
    """README, "Online learning": required lessons complete, test passed (if any), survey (if required)."""

    course = enrollment.course
    if not required_lessons_complete(enrollment=enrollment):
        return False
    if (
        course.questions.exists()
        and not enrollment.test_attempts.filter(passed=True).exists()
    ):
        return False
    if course.survey_required and not survey_answered(
        subject=course, user=enrollment.user
    ):
        return False
    return True


def dashboard_for(*, user: User) -> dict:
    """내 강의실: courses in progress with where to resume, completed courses, certificates."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course", "last_lesson", "certificate")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    course_ids = [e.course_id for e in enrollments]
    lesson_counts = {
        row["course_id"]: row
        for row in Enrollment.objects.filter(pk__in=[e.pk for e in enrollments])
        .values("course_id")
        .annotate(
            done=Count(
                "lesson_progress", filter=Q(lesson_progress__completed_at__isnull=False)
            )
        )
    }
    # Required lesson counts per course in one query: lessons are the courses' children.
    required_by_course: dict[int, int] = {}
    if course_ids:
        parents = {e.course.path: e.course_id for e in enrollments}
        children = Q()
        for enrollment in enrollments:
            children |= Q(
                path__startswith=enrollment.course.path,
                depth=enrollment.course.depth + 1,
            )
        for path in (
            LessonPage.objects.live()
            .filter(children, required=True)
            .values_list("path", flat=True)
        ):
            course_id = parents.get(path[: -LessonPage.steplen])
            if course_id:
                required_by_course[course_id] = required_by_course.get(course_id, 0) + 1
    positions = {
        row.lesson_id: row.position
        for row in LessonProgress.objects.filter(
            user=user,
            lesson_id__in=[e.last_lesson_id for e in enrollments if e.last_lesson_id],
        ).only("lesson_id", "position")
    }
    due = deadlines.deadlines_for(user)
    today = timezone.localdate()
    in_progress, completed = [], []
    for enrollment in enrollments:
        total = required_by_course.get(enrollment.course_id, 0)
        done = lesson_counts.get(enrollment.course_id, {}).get("done", 0)
        item = {
            "enrollment": enrollment,
            "course": enrollment.course,
            "lessons_done": min(done, total),
            "lessons_total": total,
            "progress": round(100 * min(done, total) / total) if total else 0,
            "resume_lesson": enrollment.last_lesson,
            "resume_position": positions.get(enrollment.last_lesson_id, 0),
            "certificate": getattr(enrollment, "certificate", None),
            "deadline": due.get(enrollment.course_id),
        }
        item["overdue"] = bool(item["deadline"] and item["deadline"].date < today)
        (completed if enrollment.completed_at else in_progress).append(item)
    # Training with a deadline first, the nearest on top; then the rest as they were.
    in_progress.sort(
        key=lambda i: (i["deadline"] is None, i["deadline"] and i["deadline"].date)
    )
    return {
        "in_progress": in_progress,
        "completed": completed,
        "certificates": [i["certificate"] for i in completed if i["certificate"]],
    }


def course_learners(*, course: CoursePage) -> QuerySet[Enrollment]:
    """Staff list of a course's learners with the number of completed lessons."""
    return (
        Enrollment.objects.filter(course=course)
        .select_related("user", "certificate")
        .annotate(
            lessons_done=Count(
                "lesson_progress",
                filter=Q(lesson_progress__completed_at__isnull=False),
            )
        )
        .order_by("enrolled_at", "pk")
    )


def certificate_by_number(*, number: str) -> Certificate | None:
    return (
        Certificate.objects.filter(number=number.strip().upper())
        .select_related("enrollment__course")
        .first()
    )


def enrollments_awaiting_certificate(*, limit: int = 500) -> list[int]:
    """Completed enrollments without a certificate yet, oldest first."""
    return list(
        Enrollment.objects.filter(completed_at__isnull=False, certificate__isnull=True)
        .order_by("completed_at")
        .values_list("pk", flat=True)[:limit]
    )


def credit_holder(*, lesson_id: int | None) -> dict | None:
    """The lesson keeping a learner's credited time, as a heartbeat names it; one
    query, and only for the beat of another lesson that earned nothing."""
    if lesson_id is None:
        return None
    title = (
        LessonPage.objects.filter(pk=lesson_id).values_list("title", flat=True).first()
    )
    return {"lesson_id": lesson_id, "title": title or ""}


# --- A test attempt's result (평가 결과) ------------------------------------------------


@dataclass
class AnswerReview:
    number: int
    text: str
    chosen: str  # the learner's choice, or "" for no answer
    correct: str
    right: bool


@dataclass
class AttemptReview:
    score: int
    pass_mark: int
    passed: bool
    attempts_left: int
    wrong_count: int
    # Which answers were wrong is shown only after a pass or the last attempt: before
    # that, it would hand the next attempt its answers.
    revealed: bool
    answers: list[AnswerReview] = field(default_factory=list)


def test_attempt_review(*, attempt: CourseTestAttempt) -> AttemptReview:
    enrollment = attempt.enrollment
    course = enrollment.course
    used = enrollment.test_attempts.count()
    passed_any = enrollment.test_attempts.filter(passed=True).exists()
    questions = {
        q.pk: q for q in CourseQuestion.objects.filter(pk__in=attempt.question_ids)
    }
    answers = []
    for number, pk in enumerate(
        (pk for pk in attempt.question_ids if pk in questions), start=1
    ):
        question = questions[pk]
        choices = question.choice_list()
        picked = attempt.answers.get(str(pk))
        answers.append(
            AnswerReview(
                number=number,
                text=question.text,
                chosen=choices[picked - 1]
                if picked and 0 < picked <= len(choices)
                else "",
                correct=choices[question.answer - 1]
                if 0 < question.answer <= len(choices)
                else "",
                right=picked == question.answer,
            )
        )
    attempts_left = 0 if passed_any else max(0, course.test_attempts_limit - used)
    revealed = attempt.passed or passed_any or attempts_left == 0
    return AttemptReview(
        score=attempt.score or 0,
        pass_mark=course.pass_mark,
        passed=attempt.passed,
        attempts_left=attempts_left,
        wrong_count=sum(1 for a in answers if not a.right),
        revealed=revealed,
        answers=answers if revealed else [],
    )
