"""The portal's pages and API: CSV upload with Korean row errors, joining by link through
sign-up, progress listing, reminders, the evidence pack (ZIP → XLSX + PDFs), and access."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from lms.accounts.models import Role
from lms.organizations import services
from lms.organizations.models import Employee, TrainingAssignment
from lms.privacy.models import PersonalDataAccess
from tests.factories import OrganizationFactory, UserFactory, confirm_by_mailed_code
from tests.lms.organizations.conftest import complete, watch_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(organization, contact, statutory_course):
    return services.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )


def _employ(organization, contact, **fields):
    user = UserFactory(**fields)
    link = services.invitation_link_get(organization=organization, by=contact)
    services.invitation_accept(token=link.token, user=user)
    return user


def test_csv_upload_page_shows_korean_row_errors_and_keeps_good_rows(
    client, contact, organization
):
    client.force_login(contact)
    upload = SimpleUploadedFile(
        "staff.csv", "이름,이메일\n김하늘,sky@example.org\n이바다,bad\n".encode()
    )
    response = client.post("/org/invitations/csv/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1명에게 초대 메일을 보냈습니다." in html
    assert "<td>3</td><td>이메일 주소가 올바르지 않습니다: “bad”</td>" in html
    assert organization.invitations.filter(email="sky@example.org").exists()


def test_joining_by_link_through_signup_enrolls_the_new_employee(
    client, contact, organization, assignment
):
    client.force_login(contact)
    home = client.get("/org/").content.decode()
    token = organization.invitations.get(email="").token
    assert f"/org/join/{token}/" in home
    client.logout()

    join = client.get(f"/org/join/{token}/")
    assert join.status_code == 200 and "회원가입" in join.content.decode()
    # allauth's own sign-up, returning to the join page.
    signup_page = client.get(f"/accounts/signup/?next=/org/join/{token}/")
    version = signup_page.context["form"].fields["consent_version"].initial
    response = client.post(
        f"/accounts/signup/?next=/org/join/{token}/",
        {
            "email": "newbie@example.org",
            "password1": "long-enough-Pass-2026",
            "password2": "long-enough-Pass-2026",
            "name": "신입사원",
            "consent_version": version,
            "agree_privacy": "on",
            "next": f"/org/join/{token}/",
        },
    )
    # The address is proven by the mailed code, and the code page goes on to the join page.
    confirmed = confirm_by_mailed_code(client, response)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/org/join/{token}/"
    joined = client.post(f"/org/join/{token}/")
    assert joined.status_code == 302
    employee = Employee.objects.get(user__email="newbie@example.org")
    assert employee.organization == organization
    assert employee.user.enrollments.filter(course=assignment.course).exists()


def test_assignment_page_and_api_list_progress_and_filter(
    client, contact, organization, assignment
):
    done = _employ(organization, contact, name="김하늘")
    _employ(organization, contact, name="최산들")
    number = complete(done, assignment.course)
    client.force_login(contact)
    page = client.get(f"/org/assignments/{assignment.pk}/").content.decode()
    assert number in page and "김하늘" in page and "최산들" in page
    assert done.email not in page  # masked
    only = client.get(f"/org/assignments/{assignment.pk}/?filter=not_started")
    assert "최산들" in only.content.decode() and "김하늘" not in only.content.decode()

    rows = client.get(f"/api/v1/org/assignments/{assignment.pk}/progress").json()
    by_name = {r["name"]: r for r in rows}
    assert by_name["김하늘"]["certificate_number"] == number
    assert (
        by_name["김하늘"]["progress"] == 100.0
        and by_name["김하늘"]["test_score"] == 100
    )
    assert by_name["최산들"]["status"] == "not_started"
    employees = client.get("/api/v1/org/employees").json()
    assert {e["name"] for e in employees} == {"김하늘", "최산들"}
    assert all("***@" in e["email"] for e in employees)
    listed = client.get("/api/v1/org/assignments").json()
    assert [a["id"] for a in listed] == [assignment.pk]


def test_api_creates_an_assignment_and_reports_problems(
    client, contact, statutory_course
):
    client.force_login(contact)
    deadline = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    body = {"course_id": statutory_course.pk, "deadline": deadline}
    created = client.post(
        "/api/v1/org/assignments", body, content_type="application/json"
    )
    assert created.status_code == 201
    again = client.post(
        "/api/v1/org/assignments", body, content_type="application/json"
    )
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert "이미 배정" in again.json()["detail"]


def test_reminder_page_button_sends_to_the_incomplete(
    client,
    contact,
    organization,
    assignment,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    done = _employ(organization, contact, name="김하늘")
    late = _employ(organization, contact, name="최산들")
    complete(done, assignment.course)
    client.force_login(contact)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/org/assignments/{assignment.pk}/remind/")
    assert [m.to for m in mail.outbox] == [[late.email]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/org/assignments/{assignment.pk}/reminders")
    assert response.json() == {"sent": 0, "skipped": 1}
    assert len(mail.outbox) == 1


def test_evidence_pack_has_the_xlsx_list_and_each_certificate_pdf(
    client, contact, organization, assignment
):
    first = _employ(organization, contact, name="김하늘", email="sky@example.org")
    second = _employ(organization, contact, name="이바다")
    third = _employ(organization, contact, name="박들꽃")
    numbers = [complete(u, assignment.course) for u in (first, second)]
    watch_lessons(third, assignment.course, count=1)
    client.force_login(contact)

    refused = client.post(
        f"/api/v1/org/assignments/{assignment.pk}/evidence",
        {"reason": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert not PersonalDataAccess.objects.exists()

    response = client.post(
        f"/org/assignments/{assignment.pk}/evidence/", {"reason": "노동청 점검 제출용"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(bundle.namelist())
    assert names == sorted(
        ["수료현황.xlsx", "훈련기록.json"] + [f"수료증/{n}.pdf" for n in numbers]
    )
    sheet = load_workbook(io.BytesIO(bundle.read("수료현황.xlsx"))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    by_name = {r[0]: r for r in rows}
    assert set(by_name) == {"김하늘", "이바다", "박들꽃"}
    assert by_name["김하늘"][1] == "s***@example.org"
    assert by_name["김하늘"][2] == "직장 내 성희롱 예방"
    assert by_name["김하늘"][3:6] == (100, 100, "수료")
    assert by_name["김하늘"][7] == numbers[0] and by_name["이바다"][7] == numbers[1]
    assert by_name["박들꽃"][3:8] == (50, None, "학습 중", None, None)
    for number in numbers:
        text = PdfReader(io.BytesIO(bundle.read(f"수료증/{number}.pdf"))).pages[0]
        assert number in text.extract_text()

    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.action, log.record_count, log.reason) == (
        contact,
        "export",
        3,
        "노동청 점검 제출용",
    )


# --- Access ---------------------------------------------------------------------------


@pytest.fixture
def other(db):
    """Another organization, its contact, an employee and an assignment."""
    from cms.courses import Category
    from tests.factories.learning import course_page

    organization = OrganizationFactory(name="다른 사업장")
    contact = UserFactory(
        username="other-contact", role=Role.ORG_CONTACT, organization=organization
    )
    course = course_page(lessons=1, category=Category.STATUTORY)
    assignment = TrainingAssignment.objects.create(
        organization=organization,
        course=course,
        year=timezone.localdate().year,
        deadline=timezone.localdate(),
    )
    employee = _employ(organization, contact, name="남의직원")
    return {"contact": contact, "assignment": assignment, "employee": employee}


def test_a_contact_never_sees_another_organizations_people(
    client, contact, organization, assignment, other
):
    _employ(organization, contact, name="우리직원")
    client.force_login(contact)
    foreign = other["assignment"].pk
    for url in (f"/org/assignments/{foreign}/",):
        assert client.get(url).status_code == 404
    for url in (
        f"/org/assignments/{foreign}/remind/",
        f"/org/assignments/{foreign}/evidence/",
    ):
        assert client.post(url, {"reason": "점검 제출용 사유"}).status_code == 404
    api = client.get(f"/api/v1/org/assignments/{foreign}/progress")
    assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
    evidence = client.post(
        f"/api/v1/org/assignments/{foreign}/evidence",
        {"reason": "점검 제출용 사유"},
        content_type="application/json",
    )
    assert evidence.status_code == 404
    names = [e["name"] for e in client.get("/api/v1/org/employees").json()]
    assert names == ["우리직원"]
    page = client.get(f"/org/assignments/{assignment.pk}/").content.decode()
    assert "우리직원" in page and "남의직원" not in page


def test_employees_and_anonymous_cannot_use_the_contact_pages(
    client, contact, organization, assignment
):
    employee = _employ(organization, contact, name="우리직원")
    client.force_login(employee)
    for url in ("/org/", f"/org/assignments/{assignment.pk}/", "/org/invitations/csv/"):
        assert client.get(url).status_code == 404
    assert client.get("/api/v1/org/employees").status_code == 403
    assert (
        client.get(f"/api/v1/org/assignments/{assignment.pk}/progress").status_code
        == 403
    )
    client.logout()
    page = client.get("/org/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/org/employees").status_code == 401
    assert client.post("/org/join/not-a-token/").status_code == 404


def test_demo_org_account_shows_real_figures(client):
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-table")
    call_command("seed_demo", "--quiet-table")  # idempotent
    org = __import__("lms.accounts.models", fromlist=["User"]).User.objects.get(
        username="org"
    )
    assignment = TrainingAssignment.objects.get(organization=org.organization)
    assert Employee.objects.filter(organization=org.organization).count() == 5
    client.force_login(org)
    rows = client.get(f"/api/v1/org/assignments/{assignment.pk}/progress").json()
    statuses = sorted(r["status"] for r in rows)
    assert statuses == [
        "completed",
        "completed",
        "in_progress",
        "not_started",
        "not_started",
    ]
    assert all(r["certificate_number"] for r in rows if r["status"] == "completed")
    assert client.get("/org/").status_code == 200
