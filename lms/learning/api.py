"""`/api/v1/` operations of learning: courses, enrollment, heartbeats and progress."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from cms.courses import CoursePage, catalog_courses
from core.auth import api_auth
from core.links import absolute_url
from core.problems import NotFound, ProblemOut
from core.types import BodyFloat, BodyInt, DbId, Offset
from lms.learning import selectors, services
from lms.learning.models import Enrollment

router = Router(tags=["learning"])


class CourseOut(Schema):
    id: int
    title: str
    category: str
    category_label: str
    audience: str
    audience_label: str
    summary: str
    trainer_name: str
    url: str


class LessonOut(Schema):
    id: int
    title: str
    duration: float
    required: bool


class CourseDetailOut(CourseOut):
    lessons: list[LessonOut]
    lesson_coverage_percent: int
    lesson_time_percent: int
    daily_lesson_cap: int | None
    pass_mark: int
    has_test: bool
    survey_required: bool


class CourseFilters(Schema):
    q: str = Field("", max_length=100, description="검색어 (부분 일치)")
    category: str = Field("", max_length=100)
    audience: str = Field("", max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class EnrollmentOut(Schema):
    course_id: int
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None


class HeartbeatIn(Schema):
    session_id: uuid.UUID
    seq: BodyInt = Field(ge=0, le=10_000_000)
    ranges: list[tuple[BodyFloat, BodyFloat]] = Field(max_length=200)
    position: BodyFloat = Field(ge=0)
    playback_rate: BodyFloat = Field(1.0, gt=0, le=16)


class LessonProgressOut(Schema):
    watched_seconds: float
    credited_seconds: float
    progress: float
    completed: bool


class CreditHolderOut(Schema):
    lesson_id: int
    title: str


class HeartbeatOut(LessonProgressOut):
    # Set when another lesson of the learner is playing and keeps the credited time:
    # this beat's ranges count, its time does not (services.heartbeat_record).
    credit_held_by: CreditHolderOut | None = None


class LessonProgressItemOut(LessonProgressOut):
    id: int


class CertificateRefOut(Schema):
    number: str
    verify_url: str


class CourseProgressOut(Schema):
    progress: float
    completed: bool
    lessons: list[LessonProgressItemOut]
    certificate: CertificateRefOut | None


def _course_or_404(course_id: DbId) -> CoursePage:
    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("강의를 찾을 수 없습니다."))
    return course


def _course_out(course: CoursePage, request: HttpRequest) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "category": course.category,
        "category_label": course.get_category_display(),
        "audience": course.audience,
        "audience_label": course.get_audience_display(),
        "summary": course.summary,
        "trainer_name": course.trainer_name,
        "url": course.get_url(request) or "",
    }


@router.get(
    "/courses",
    response=list[CourseOut],
    auth=None,
    summary="Live courses, filtered by category, audience and a Korean partial-word query",
)
def course_list(request: HttpRequest, filters: Query[CourseFilters]):
    courses = catalog_courses(
        category=filters.category, audience=filters.audience, query=filters.q
    )[filters.offset : filters.offset + filters.limit]
    return [_course_out(course, request) for course in courses]


@router.get(
    "/courses/{course_id}",
    response={200: CourseDetailOut, 404: ProblemOut},
    auth=None,
    summary="A course with its lessons in order and its completion rules",
)
def course_detail(request: HttpRequest, course_id: DbId):
    course = _course_or_404(course_id)
    lessons = selectors.course_lessons(course=course)
    return {
        **_course_out(course, request),
        "lessons": [
            {
                "id": lesson.pk,
                "title": lesson.title,
                "duration": lesson.duration,
                "required": lesson.required,
            }
            for lesson in lessons
        ],
        "lesson_coverage_percent": course.lesson_coverage_percent,
        "lesson_time_percent": course.lesson_time_percent,
        "daily_lesson_cap": course.daily_lesson_cap,
        "pass_mark": course.pass_mark,
        "has_test": course.questions.exists(),
        "survey_required": course.survey_required,
    }


@router.post(
    "/courses/{course_id}/enrollment",
    response={200: EnrollmentOut, 401: ProblemOut, 404: ProblemOut},
    auth=api_auth,
    summary="Enroll the caller in a course (idempotent)",
)
def enrollment_create(request: HttpRequest, course_id: DbId):
    enrollment = services.enrollment_create(
        user=request.user, course=_course_or_404(course_id)
    )
    return {
        "course_id": enrollment.course_id,
        "enrolled_at": enrollment.enrolled_at,
        "completed_at": enrollment.completed_at,
    }


@router.post(
    "/lessons/{lesson_id}/heartbeats",
    response={
        200: HeartbeatOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
    },
    auth=api_auth,
    summary="One playback heartbeat: played ranges since the last beat, position, rate",
)
def heartbeat_create(request: HttpRequest, lesson_id: DbId, payload: HeartbeatIn):
    outcome = services.heartbeat_record(
        user=request.user,
        lesson_id=lesson_id,
        session_id=payload.session_id,
        seq=payload.seq,
        ranges=[list(pair) for pair in payload.ranges],
        position=payload.position,
        playback_rate=payload.playback_rate,
    )
    return {
        "watched_seconds": outcome.watched_seconds,
        "credited_seconds": outcome.credited_seconds,
        "progress": outcome.percent,
        "completed": outcome.completed,
        "credit_held_by": selectors.credit_holder(lesson_id=outcome.credit_held_by),
    }


@router.get(
    "/me/courses/{course_id}/progress",
    response={200: CourseProgressOut, 401: ProblemOut, 404: ProblemOut},
    auth=api_auth,
    summary="The caller's progress in a course, per lesson, and the certificate",
)
def course_progress(request: HttpRequest, course_id: DbId):
    course = _course_or_404(course_id)
    state = selectors.course_state_for(user=request.user, course=course)
    if state.enrollment is None:
        raise NotFound(_("수강 신청한 강의가 아닙니다."))
    certificate = state.certificate
    return {
        "progress": state.progress,
        "completed": state.completed,
        "lessons": [
            {
                "id": s.lesson.pk,
                "watched_seconds": s.watched_seconds,
                "credited_seconds": s.credited_seconds,
                "progress": s.progress,
                "completed": s.completed,
            }
            for s in state.lessons
        ],
        "certificate": (
            {
                "number": certificate.number,
                "verify_url": absolute_url(
                    certificate.get_absolute_url(), request=request
                ),
            }
            if certificate
            else None
        ),
    }


class CourseSurveyIn(Schema):
    score: BodyInt = Field(ge=1, le=5, description="만족도 1–5점")
    comment: str = Field("", max_length=2000)


class CourseSurveyOut(Schema):
    answered: bool
    completed: bool


@router.post(
    "/courses/{course_id}/survey",
    response={200: CourseSurveyOut, 401: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    auth=api_auth,
    summary="Answer the course's satisfaction survey (5-point scale and a comment)",
)
def course_survey(request: HttpRequest, course_id: DbId, payload: CourseSurveyIn):
    course = _course_or_404(course_id)
    enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    if enrollment is None:
        raise NotFound(_("수강 신청한 강의가 아닙니다."))
    services.course_survey_submit(
        enrollment=enrollment, score=payload.score, comment=payload.comment
    )
    enrollment.refresh_from_db()
    return {"answered": True, "completed": enrollment.completed_at is not None}
