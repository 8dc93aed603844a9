"""Records the education report counts: delivered outreach sessions with their answers, and
online enrollments with completion, certificates and course answers. Written straight as
rows (the state machines have their own tests) so a test can place them at exact times."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.contenttypes.models import ContentType

from lms.accounts.models import Organization, User
from lms.centers.models import Center, District
from lms.learning.models import Certificate, Enrollment
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
from lms.trainers.models import TrainerProfile
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.outreach import topic

_counter = itertools.count(1)


def regional_center(region: str) -> Center:
    return Center.objects.get(kind=Center.Kind.REGIONAL, region__name=region)


def outreach_request(
    *,
    center: Center,
    district: str,
    created_at: dt.datetime,
    organization_name: str = "성북 마을협동조합",
    organization_kind: str = Organization.Kind.WORKPLACE,
    audience: str = Audience.WORKERS,
    topic_code: str = "labor-law",
    topic_name: str = "노동법 기초",
    state: str = RequestState.SUBMITTED,
    starts_at: dt.datetime | None = None,
    hours: float = 2,
) -> OutreachRequest:
    request = OutreachRequest.objects.create(
        organization_name=organization_name,
        organization_kind=organization_kind,
        contact_name="담당자",
        contact_phone="010-0000-0000",
        contact_email="contact@example.org",
        participants=20,
        address="서울특별시",
        district=District.objects.get(name=district),
        center=center,
        audience=audience,
        state=state,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours) if starts_at else None,
        created_at=created_at,
    )
    request.topics.add(topic(topic_code, topic_name))
    return request


def delivered_session(
    *,
    trainer: TrainerProfile,
    starts_at: dt.datetime,
    hours: float,
    reported: int | None,
    confirmed: int | None = None,
    state: str = RequestState.REPORTED,
    **request_fields,
) -> OutreachSession:
    """A session whose request reached `state` (delivered, reported or closed count)."""
    request = outreach_request(
        starts_at=starts_at, hours=hours, state=state, **request_fields
    )
    ends_at = request.ends_at
    offer = Offer.objects.create(
        request=request,
        trainer=trainer,
        state=OfferState.ACCEPTED,
        starts_at=starts_at,
        ends_at=ends_at,
        **hold_fields(starts_at, ends_at),
        expires_at=starts_at - dt.timedelta(days=1),
    )
    return OutreachSession.objects.create(
        request=request,
        offer=offer,
        trainer=trainer,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees_reported=reported,
        attendees_confirmed=confirmed,
    )


def answers(subject, *scores: int, at: dt.datetime | None = None) -> None:
    """Anonymous satisfaction answers (one device each) about `subject`."""
    subject_type = ContentType.objects.get_for_model(subject)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            subject_type=subject_type,
            subject_id=str(subject.pk),
            device_key=f"device-{next(_counter)}",
            score=score,
            **({"created_at": at} if at else {}),
        )
        for score in scores
    )


def learner(username: str, *, district: str | None = None) -> User:
    """A learner; with `district`, an employee of an organization there."""
    user = UserFactory(username=username)
    if district:
        Employee.objects.create(
            organization=OrganizationFactory(
                district=District.objects.get(name=district)
            ),
            user=user,
        )
    return user


def enrollment(
    *,
    user: User,
    course,
    enrolled_at: dt.datetime,
    completed_at: dt.datetime | None = None,
    certificate_revoked: bool = False,
    survey_score: int | None = None,
) -> Enrollment:
    """An enrollment; completed ones get their certificate at completion and, with
    `survey_score`, the learner's course answer at completion."""
    row = Enrollment.objects.create(
        user=user, course=course, enrolled_at=enrolled_at, completed_at=completed_at
    )
    if completed_at:
        Certificate.objects.create(
            enrollment=row,
            number=f"TEST-{next(_counter):06d}",
            learner_name=user.name,
            course_title=course.title,
            issued_at=completed_at,
            revoked_at=completed_at + dt.timedelta(days=1)
            if certificate_revoked
            else None,
        )
    if survey_score is not None:
        SurveyResponse.objects.create(
            subject_type=ContentType.objects.get_for_model(course),
            subject_id=str(course.pk),
            respondent=user,
            score=survey_score,
            created_at=completed_at or enrolled_at,
        )
    return row
