"""Every URL pattern and API operation has a row in the access matrix, and answers it.

A new route without a row fails `test_every_route_has_a_row`; see access_matrix.py.
"""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from axes.utils import reset as axes_reset
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.courses import CoursePage, LessonPage
from config.api import api
from lms.accounts.models import Organization, User
from lms.centers.models import Center
from lms.demo.services import seed_demo
from lms.learning.demo import DEMO_COURSE_SLUG
from lms.learning.models import Certificate, Enrollment
from lms.organizations.models import Invitation, TrainingAssignment
from lms.outreach.models import Offer, OfferState, OutreachRequest
from lms.trainers.models import Topic, TrainerProfile
from tests.security.access_matrix import (
    ANON,
    API_ROWS,
    PAGE_ROWS,
    ROLE_USERNAMES,
    ROLES,
    Row,
)

API_PREFIX = "api/v1/"


def url_patterns(resolver=None, prefix: str = ""):
    """Every route of config.urls as one string, the way the failure message prints it."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def api_operations() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    )


def _shape(route: str) -> str:
    """A route with its parameters blanked, to match ninja's patterns to OpenAPI paths."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", route).rstrip("/")


def _covered(route: str, rows: list[Row]) -> bool:
    return any(
        route == row.route or (row.prefix and route.startswith(row.route))
        for row in rows
    )


def missing_routes() -> list[str]:
    api_shapes = {_shape(op.split(" ", 1)[1].lstrip("/")) for op in api_operations()}
    missing = []
    for route in url_patterns():
        if _covered(route, PAGE_ROWS):
            continue
        # ninja mounts each OpenAPI operation as a pattern; API_ROWS cover those.
        if route.startswith(API_PREFIX) and _shape(route) in api_shapes:
            continue
        missing.append(f"page {route}")
    covered_api = {row.route for row in API_ROWS}
    missing += [f"api {op}" for op in api_operations() if op not in covered_api]
    return missing


def test_every_route_has_a_row():
    missing = missing_routes()

    assert not missing, (
        "routes without a row in tests/security/access_matrix.py "
        "(see how to add rows at the top of that file):\n  " + "\n  ".join(missing)
    )


def test_no_row_names_a_route_that_is_gone():
    routes = set(url_patterns())
    operations = set(api_operations())
    stale = [
        row.route
        for row in PAGE_ROWS
        if not any(r == row.route or r.startswith(row.route) for r in routes)
    ] + [row.route for row in API_ROWS if row.route not in operations]

    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_the_walk_finds_the_routes_of_every_part():
    routes = set(url_patterns())
    assert "admin/" in routes and "accounts/login/" in routes
    assert "GET /api/v1/health" in api_operations()


@pytest.fixture
def matrix_objects(db, local_media) -> dict:
    # The /media/images/ rows are the local storage's (on S3 the bucket serves them).
    seed_demo()
    home = Page.objects.get(depth=2)
    document = Document(title="안내서")
    document.file.save("guide.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    image = get_image_model()(title="교육 사진")
    picture = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 40, 40)).save(picture, "PNG")
    image.file.save("matrix.png", ImageFile(picture, name="matrix.png"), save=False)
    image.save()
    learner = User.objects.get(username="learner")
    org_user = User.objects.get(username="org")
    trainer = User.objects.get(username="trainer")
    course = CoursePage.objects.get(slug=DEMO_COURSE_SLUG)
    lesson = LessonPage.objects.child_of(course).live().first()
    # The learner's own enrollment and certificate (another user's for everyone else).
    enrollment = Enrollment.objects.create(
        user=learner, course=course, completed_at=timezone.now()
    )
    certificate = Certificate.objects.create(
        enrollment=enrollment,
        number="MATRIX-0001",
        learner_name=learner.name or learner.username,
        course_title=course.title,
    )
    # The org contact's requests (of the staff's center); the last has the trainer's offer.
    org_requests = OutreachRequest.objects.filter(
        organization=org_user.organization_id
    ).order_by("pk")
    # staff (the metropolitan center) oversees every center; staff-dongbuk only its own:
    # the org's requests belong to another regional center, so not to staff-dongbuk's.
    other_center = (
        Center.objects.filter(kind=Center.Kind.REGIONAL)
        .exclude(pk=User.objects.get(username="staff-dongbuk").center_id)
        .first()
    )
    org_requests.update(center=other_center)
    # A request of no organization (an outside applicant): another org's for `org`.
    foreign_request = OutreachRequest.objects.get(pk=org_requests.first().pk)
    foreign_request.pk = None
    foreign_request.public_token = uuid.uuid4()
    foreign_request.idempotency_key = None
    foreign_request.organization = None
    foreign_request.save()
    # The demo trainer's waiting offer (the demo also has their accepted ones).
    offer = Offer.objects.filter(
        trainer__user=trainer, state=OfferState.OFFERED
    ).first()
    # An offer of another trainer of the pool on the same request.
    other_profile = TrainerProfile.objects.exclude(user=trainer).first()
    other_offer = Offer.objects.create(
        request=offer.request,
        trainer=other_profile,
        state=OfferState.DECLINED,
        starts_at=offer.starts_at,
        ends_at=offer.ends_at,
        blocked_from=offer.blocked_from,
        blocked_until=offer.blocked_until,
        expires_at=offer.expires_at,
        offered_by=offer.offered_by,
    )
    # The org contact's statutory assignment (seed_demo) and another organization's.
    org_assignment = TrainingAssignment.objects.get(organization=org_user.organization)
    foreign_assignment = TrainingAssignment.objects.create(
        organization=Organization.objects.create(
            name="다른 사업장", kind=Organization.Kind.WORKPLACE
        ),
        course=org_assignment.course,
        year=org_assignment.year,
        deadline=org_assignment.deadline,
    )
    return {
        "org_assignment_id": org_assignment.id,
        "foreign_assignment_id": foreign_assignment.id,
        "invitation_token": Invitation.objects.get(
            organization=org_user.organization, email=""
        ).token,
        "course_id": course.id,
        "lesson_id": lesson.id,
        "asset_id": lesson.video_id,
        "certificate_id": certificate.id,
        "certificate_number": certificate.number,
        "request_id": org_requests.first().id,
        "request_center_id": other_center.id,
        "request_token": org_requests.first().public_token,
        "foreign_request_id": foreign_request.id,
        "approved_request_id": offer.request_id,
        "offer_id": offer.id,
        "other_offer_id": other_offer.id,
        "trainer_profile_id": trainer.trainer_profile.id,
        "topic_id": Topic.objects.first().id,
        "home_page_id": home.id,
        "document_id": document.id,
        "document_filename": document.filename,
        "document_storage_name": document.file.name,
        "image_rendition": image.get_rendition("width-20").file.name.split("/")[-1],
        "learner_id": User.objects.get(username="learner").id,
        "organization_id": User.objects.get(username="org").organization_id,
    }


def _client(role: str) -> Client:
    client = Client()
    if role != ANON:
        user = User.objects.get(username=ROLE_USERNAMES[role])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _request(client: Client, row: Row, path: str, *, api_row: bool):
    method = getattr(client, row.method.lower())
    if row.data is None:
        return method(path)
    if api_row:
        return method(path, json.dumps(row.data), content_type="application/json")
    return method(path, row.data)


def test_every_role_gets_the_expected_answer(matrix_objects):
    mismatches = []
    for role in ROLES:
        # Each role starts with no failed logins counted against the shared address.
        axes_reset()
        client = _client(role)
        for rows, api_row in ((PAGE_ROWS, False), (API_ROWS, True)):
            for row in rows:
                if row.path is None:
                    assert row.note, f"{row.route}: a row without a path needs a note"
                    continue
                path = row.path.format(**matrix_objects)
                response = _request(client, row, path, api_row=api_row)
                expected = row.expect[role]
                if response.status_code != expected:
                    mismatches.append(
                        f"{role:12} {row.method} {path}: "
                        f"{response.status_code} (expected {expected})"
                    )
                    continue
                for header, fragment in row.headers.items():
                    if fragment not in response.get(header, ""):
                        mismatches.append(
                            f"{role:12} {path}: header {header}={response.get(header)!r}"
                        )

    assert not mismatches, "\n".join(mismatches)


def test_every_row_names_every_role():
    for row in PAGE_ROWS + API_ROWS:
        assert set(row.expect) == set(ROLES), row.route


def test_a_route_without_a_row_is_reported_by_name(monkeypatch):
    import tests.security.test_access_matrix as module

    monkeypatch.setattr(
        module,
        "PAGE_ROWS",
        [row for row in PAGE_ROWS if row.route != "privacy/session/extend/"],
    )
    monkeypatch.setattr(
        module, "API_ROWS", [row for row in API_ROWS if "consent" not in row.route]
    )

    assert missing_routes() == [
        "page privacy/session/extend/",
        "api GET /api/v1/privacy/consent",
    ]
