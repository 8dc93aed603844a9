"""A year of activity for seed_demo, so the 교육 실적 dashboard shows real figures: delivered
outreach sessions with attendance and answers in every region and quarter, and online
enrollments, completions, certificates and course answers. Idempotent and bulk-written.

The year is the twelve months before today (Seoul), so this year's dashboard has every
quarter that has begun and last year's has the rest.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cms.courses import CoursePage, LessonPage
from core.time import SEOUL
from lms.accounts.models import Organization, User
from lms.centers.models import Center, District
from lms.learning.models import (
    Certificate,
    CourseTestAttempt,
    Enrollment,
    LessonProgress,
)
from lms.organizations.models import Employee
from lms.outreach.matching import hold_fields
from lms.outreach.models import (
    Audience,
    Offer,
    OfferState,
    OutreachRequest,
    OutreachSession,
    RequestState,
)
from lms.surveys.models import SurveyResponse
from lms.trainers.models import Topic, TrainerProfile

MARK = "demo-year-"  # idempotency keys of the demo's requests
SESSIONS = 48
LEARNERS = 80
ORGANIZATIONS = [
    ("종로 청년노동자 모임", "community", "종로구"),
    ("마포 특성화고등학교", "school", "마포구"),
    ("노원 돌봄노동자 협동조합", "workplace", "노원구"),
    ("성북 지역 노동조합", "union", "성북구"),
    ("강남 소상공인 연합", "workplace", "강남구"),
    ("송파 구청", "public", "송파구"),
    ("구로 디지털단지 사업장", "workplace", "구로구"),
    ("관악 청소년센터", "community", "관악구"),
]
AUDIENCES = [a.value for a in Audience]


def _center_for(district: District, centers: dict) -> Center:
    return centers.get(district.region_id) or centers["metropolitan"]


def _seed_outreach(rng: random.Random, start: dt.datetime) -> None:
    trainers = list(
        TrainerProfile.objects.filter(user__username__startswith="trainer-").order_by(
            "pk"
        )
    )
    topics = list(Topic.objects.order_by("pk"))
    if not trainers or not topics:
        return
    organizations = {
        name: Organization.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "district": District.objects.get(name=district)},
        )[0]
        for name, kind, district in ORGANIZATIONS
    }
    centers = {
        c.region_id: c for c in Center.objects.filter(kind=Center.Kind.REGIONAL)
    } | {"metropolitan": Center.objects.get(kind=Center.Kind.METROPOLITAN)}
    plan = []
    for i in range(SESSIONS):
        # About a week apart, so no trainer ever holds two sessions at once.
        day = (start + dt.timedelta(days=3 + i * 7)).date()
        begins = dt.datetime.combine(day, dt.time(10 + 4 * (i % 2)), tzinfo=SEOUL)
        organization = list(organizations.values())[i % len(organizations)]
        delivered = i % 6 != 5  # one in six was declined or withdrawn
        plan.append((i, begins, organization, delivered))
    requests = OutreachRequest.objects.bulk_create(
        OutreachRequest(
            idempotency_key=f"{MARK}{i}",
            organization_name=organization.name,
            organization_kind=organization.kind,
            contact_name="데모 담당자",
            contact_phone="010-0000-0000",
            contact_email="demo-contact@demo.slacademy.kr",
            participants=rng.randint(15, 80),
            address=f"서울특별시 {organization.district.name}",
            district=organization.district,
            center=_center_for(organization.district, centers),
            audience=AUDIENCES[i % len(AUDIENCES)],
            state=(
                (RequestState.CLOSED if i % 3 else RequestState.REPORTED)
                if delivered
                else (RequestState.REJECTED if i % 2 else RequestState.WITHDRAWN)
            ),
            starts_at=begins if delivered else None,
            ends_at=begins + dt.timedelta(hours=2) if delivered else None,
            created_at=begins - dt.timedelta(days=30),
        )
        for i, begins, organization, delivered in plan
    )
    OutreachRequest.topics.through.objects.bulk_create(
        OutreachRequest.topics.through(
            outreachrequest_id=r.pk, topic_id=topics[n % len(topics)].pk
        )
        for n, r in enumerate(requests)
    )
    held = [
        (request, trainers[i % len(trainers)], begins)
        for request, (i, begins, _org, delivered) in zip(requests, plan, strict=True)
        if delivered
    ]
    offers = Offer.objects.bulk_create(
        Offer(
            request=request,
            trainer=trainer,
            state=OfferState.ACCEPTED,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=2),
            **hold_fields(begins, begins + dt.timedelta(hours=2)),
            expires_at=begins - dt.timedelta(days=14),
            created_at=begins - dt.timedelta(days=21),
        )
        for request, trainer, begins in held
    )
    sessions = OutreachSession.objects.bulk_create(
        OutreachSession(
            request=offer.request,
            offer=offer,
            trainer=offer.trainer,
            starts_at=offer.starts_at,
            ends_at=offer.ends_at,
            attendees_reported=offer.request.participants,
            attendance_reported_at=offer.ends_at,
            attendees_confirmed=offer.request.participants - rng.randint(0, 5),
            attendance_confirmed_at=offer.ends_at + dt.timedelta(days=1),
            report="데모 강의 보고서",
            report_submitted_at=offer.ends_at + dt.timedelta(days=1),
            fee_amount=300_000,
        )
        for offer in offers
    )
    session_type = ContentType.objects.get_for_model(OutreachSession)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            subject_type=session_type,
            subject_id=str(session.pk),
            device_key=f"{MARK}{session.pk}-{k}",
            score=rng.choices([3, 4, 5], weights=[1, 4, 5])[0],
            created_at=session.ends_at + dt.timedelta(minutes=10),
        )
        for session in sessions
        for k in range(rng.randint(5, 15))
    )


def _seed_online(rng: random.Random, start: dt.datetime, now: dt.datetime) -> None:
    courses = list(CoursePage.objects.live().order_by("pk"))
    if not courses:
        return
    password = make_password(None)
    User.objects.bulk_create(
        User(
            username=f"{MARK}learner-{n:03d}",
            email=f"{MARK}learner-{n:03d}@demo.slacademy.kr",
            name=f"학습자{n:03d}",
            password=password,
        )
        for n in range(LEARNERS)
    )
    learners = list(
        User.objects.filter(username__startswith=f"{MARK}learner-").order_by("pk")
    )
    organizations = list(
        Organization.objects.filter(name__in=[o[0] for o in ORGANIZATIONS])
    )
    Employee.objects.bulk_create(
        Employee(organization=organizations[n % len(organizations)], user=learner)
        for n, learner in enumerate(learners)
        if organizations and n % 2
    )
    span = (now - start).total_seconds()
    enrollments = []
    for n, learner in enumerate(learners):
        for course in rng.sample(courses, k=min(len(courses), 1 + n % 3)):
            enrolled = start + dt.timedelta(seconds=rng.uniform(0, span))
            finished = enrolled + dt.timedelta(days=rng.randint(1, 30))
            enrollments.append(
                Enrollment(
                    user=learner,
                    course=course,
                    enrolled_at=enrolled,
                    completed_at=finished
                    if rng.random() < 0.45 and finished < now
                    else None,
                )
            )
    enrollments = Enrollment.objects.bulk_create(enrollments)
    completed = [e for e in enrollments if e.completed_at]
    _study_behind(rng, enrollments)
    Certificate.objects.bulk_create(
        Certificate(
            enrollment=e,
            number=f"DEMO-{e.completed_at:%Y}-{e.pk:06d}",
            learner_name=e.user.name,
            course_title=e.course.title,
            issued_at=e.completed_at,
        )
        for e in completed
    )
    course_type = ContentType.objects.get_for_model(CoursePage)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            subject_type=course_type,
            subject_id=str(e.course_id),
            respondent=e.user,
            score=rng.choices([3, 4, 5], weights=[2, 4, 4])[0],
            created_at=e.completed_at,
        )
        for e in completed
    )


def _study_behind(rng: random.Random, enrollments: list[Enrollment]) -> None:
    """What a certificate stands on: every lesson watched through and, where the course
    has a test, a passed attempt, all before the completion time. About half of those
    still studying have watched half of each lesson."""
    lessons: dict[int, list[LessonPage]] = {}
    for lesson in LessonPage.objects.live().select_related("video"):
        course_id = lesson.get_parent().pk
        lessons.setdefault(course_id, []).append(lesson)
    with_test = set(
        CoursePage.objects.filter(questions__isnull=False).values_list("pk", flat=True)
    )
    rows, attempts = [], []
    for e in enrollments:
        done = e.completed_at is not None
        if not done and rng.random() < 0.5:
            continue
        moment = e.completed_at or e.enrolled_at + dt.timedelta(hours=1)
        for lesson in lessons.get(e.course_id, []):
            duration = lesson.duration or 60.0
            watched = duration if done else round(duration / 2, 1)
            rows.append(
                LessonProgress(
                    user_id=e.user_id,
                    lesson=lesson,
                    enrollment=e,
                    ranges=[[0.0, watched]],
                    watched_seconds=watched,
                    credited_seconds=watched,
                    position=watched,
                    completed_at=moment - dt.timedelta(hours=1) if done else None,
                )
            )
        if done and e.course_id in with_test:
            attempts.append(
                CourseTestAttempt(
                    enrollment=e,
                    score=rng.choice([70, 80, 90, 100]),
                    passed=True,
                    started_at=moment - dt.timedelta(minutes=20),
                    submitted_at=moment - dt.timedelta(minutes=10),
                )
            )
    LessonProgress.objects.bulk_create(rows)
    CourseTestAttempt.objects.bulk_create(attempts)


def seed_reports_demo() -> bool:
    """Make the year of activity once; returns whether anything was made."""
    if (
        OutreachRequest.objects.filter(idempotency_key__startswith=MARK).exists()
        or User.objects.filter(username__startswith=MARK).exists()
    ):
        return False
    # Demo figures, not secrets: a seeded generator gives the same year every time.
    rng = random.Random(2026)  # noqa: S311  # nosec B311
    now = timezone.now()
    start = now - dt.timedelta(days=365)
    _seed_outreach(rng, start)
    _seed_online(rng, start, now)
    return True
