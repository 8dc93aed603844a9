"""The attack suite: one test per row of issue 17 (and held rows of the same kinds),
each asserting the refusal. Rows 2 and 3 have files of their own; 17-19 start processes
(test_row17_19_processes.py). docs/security.md lists every test by row."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from axes.utils import reset as axes_reset
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from config.api import api
from lms.accounts.models import User
from lms.accounts.services import api_token_create
from lms.organizations import services as org_services
from lms.outreach import services
from lms.outreach.models import OutreachRequest, RequestState
from lms.privacy.models import PersonalDataAccess
from lms.surveys.models import SurveyResponse
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.outreach import (
    application,
    matching_request,
    staff_user,
    trainer_profile,
)

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _delivered_session(participants: int = 20):
    staff = staff_user()
    trainer = trainer_profile()
    request = matching_request(
        starts_at=timezone.now() - dt.timedelta(hours=3), participants=participants
    )
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    session = services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=request.pk, actor=staff)
    services.attendance_report(
        session_id=session.pk, trainer_user=trainer.user, attendees=18
    )
    request.refresh_from_db()
    session.refresh_from_db()
    return staff, trainer, request, session


# --- Row 3 (choices at the edge; the exports have test_row03_exports.py) -------------------


def test_row03_unlisted_choices_are_refused_at_the_api_and_the_form(client):
    body = {
        "organization_name": "사업장",
        "organization_kind": '=HYPERLINK("http://x")',
        "contact_name": "최",
        "contact_phone": "010-1234-5678",
        "contact_email": "c@example.org",
        "participants": 20,
        "address": "주소",
        "district_id": application().district_id,
        "topics": application().topic_codes,
        "audience": "=1+1",
        "slots": [
            {
                "starts_at": (timezone.now() + dt.timedelta(days=9)).isoformat(),
                "ends_at": (timezone.now() + dt.timedelta(days=9, hours=2)).isoformat(),
            }
        ],
    }
    response = client.post(
        "/api/v1/outreach/requests", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"organization_kind", "audience"} <= fields
    # The service refuses them too, whoever calls it.
    from core.problems import Problem

    with pytest.raises(Problem):
        services.request_submit(data=application(organization_kind="=cmd"))
    with pytest.raises(Problem):
        services.request_submit(data=application(audience="@SUM(A1)"))
    assert not OutreachRequest.objects.exists()


# --- Row 5: attendance bounded and frozen once reported ------------------------------------


def test_row05_attendance_is_bounded_on_every_edge():
    _staff, trainer, request, session = _delivered_session()
    anonymous = Client()
    url = f"/api/v1/outreach/sessions/{session.pk}/attendance/confirmation"
    org = UserFactory(role="org_contact", organization=OrganizationFactory())
    OutreachRequest.objects.filter(pk=request.pk).update(organization=org.organization)

    api_answer = Client().post(
        url,
        json.dumps({"attendees": 1_000_000_178}),
        content_type="application/json",
        **_bearer(org),
    )
    assert api_answer.status_code == 422
    page = anonymous.post(
        f"/outreach/requests/{request.public_token}/",
        {"action": "confirm_attendance", "attendees": "1000000178"},
    )
    assert page.status_code == 302
    thirty_digits = anonymous.post(
        f"/outreach/requests/{request.public_token}/",
        {"action": "confirm_attendance", "attendees": "9" * 30},
    )
    assert thirty_digits.status_code == 302
    from core.problems import Problem

    with pytest.raises(Problem):
        services.attendance_confirm(token=request.public_token, attendees=1001)
    session.refresh_from_db()
    assert session.attendees_confirmed is None


def test_row05_attendance_is_frozen_once_the_request_is_reported():
    _staff, _trainer, request, session = _delivered_session()
    services.attendance_confirm(token=request.public_token, attendees=17)
    OutreachRequest.objects.filter(pk=request.pk).update(state=RequestState.REPORTED)

    from core.problems import Conflict

    with pytest.raises(Conflict):
        services.attendance_confirm(token=request.public_token, attendees=170)
    Client().post(
        f"/outreach/requests/{request.public_token}/",
        {"action": "confirm_attendance", "attendees": "170"},
    )
    session.refresh_from_db()
    assert session.attendees_confirmed == 17


def test_row05_held_the_organization_still_confirms_once_after_the_lecture_report():
    # The trainer often reports first: the request is reported, the organization has
    # not confirmed yet, and closing needs its confirmation. One confirmation is taken.
    staff, trainer, request, session = _delivered_session()
    services.lecture_report_submit(
        session_id=session.pk, trainer_user=trainer.user, report="근로기준법 기초"
    )
    services.attendance_confirm(token=request.public_token, attendees=16)
    from core.problems import Conflict

    with pytest.raises(Conflict):
        services.attendance_confirm(token=request.public_token, attendees=160)
    services.request_close(request_id=request.pk, actor=staff)
    session.refresh_from_db()
    assert session.attendees_confirmed == 16
    assert OutreachRequest.objects.get(pk=request.pk).state == RequestState.CLOSED


# --- Row 6: one survey answer per attendee, by a one-time code --------------------------


def test_row06_a_survey_answer_needs_a_code_of_the_sheet_and_counts_once():
    from lms.outreach.survey_codes import survey_codes

    _staff, trainer, request, session = _delivered_session(participants=12)
    url = f"/outreach/survey/{session.survey_token}/"
    codes = survey_codes(session)
    assert len(codes) == 18  # as many as reported attendance (more than asked)

    no_code = Client().post(url, {"score": "1"})
    forged = Client().post(url, {"score": "1", "code": "5-AAAAAAAAAA"})
    assert (no_code.status_code, forged.status_code) == (400, 400)
    assert not SurveyResponse.objects.exists()

    # Dropping the cookie (a fresh client each time) does not give a second answer.
    first = Client().post(url, {"score": "5", "code": codes[0]})
    again = Client().post(url, {"score": "1", "code": codes[0]})
    lower_case = Client().post(url, {"score": "1", "code": codes[0].lower()})
    assert (first.status_code, again.status_code, lower_case.status_code) == (
        200,
        409,
        409,
    )
    for code in codes[1:]:
        Client().post(url, {"score": "1", "code": code})
    assert SurveyResponse.objects.count() == len(codes)
    # A code of another session's sheet is refused here.
    _s2, _t2, _r2, other = _delivered_session()
    assert Client().post(
        url, {"score": "1", "code": survey_codes(other)[-1]}
    ).status_code in (400, 409)
    assert SurveyResponse.objects.filter(subject_id=str(session.pk)).count() == 18


def test_row06_the_qr_sheet_is_the_trainers_and_the_applicants_only():
    from lms.outreach.survey_codes import survey_codes

    _staff, trainer, request, session = _delivered_session()
    sheet = Client().get(f"/outreach/requests/{request.public_token}/survey-sheet/")
    assert sheet.status_code == 200
    assert survey_codes(session)[3] in sheet.content.decode()
    own = Client()
    own.force_login(trainer.user)
    trainer_url = f"/outreach/trainer/sessions/{session.pk}/survey-sheet/"
    assert own.get(trainer_url).status_code == 200
    other = Client()
    other.force_login(trainer_profile().user)
    assert other.get(trainer_url).status_code == 404
    qr = Client().get(f"/outreach/survey/{session.survey_token}/qr.svg")
    assert qr.status_code == 404  # a QR code only for a code of the sheet


# --- Row 7: tokens with a lifetime, revoked on password change and logout ----------------


def _me(headers) -> int:
    return Client().get("/api/v1/auth/me", **headers).status_code


def test_row07_a_token_stops_working_after_its_lifetime(settings):
    user = UserFactory(username="tok1")
    headers = _bearer(user)
    assert _me(headers) == 200
    APIToken.objects.filter(user=user).update(
        created=timezone.now() - settings.API_TOKEN_LIFETIME - dt.timedelta(seconds=1)
    )
    assert _me(headers) == 401


def test_row07_a_password_change_revokes_every_token():
    user = UserFactory(username="tok2")
    headers = _bearer(user)
    user.set_password("a-new-password-2026")
    user.save()
    assert _me(headers) == 401


def test_row07_logging_out_revokes_tokens():
    user = UserFactory(username="tok3")
    site_token, api_token = _bearer(user), _bearer(user)
    # API logout with a token revokes that token.
    assert Client().post("/api/v1/auth/logout", **api_token).status_code == 204
    assert _me(api_token) == 401
    assert _me(site_token) == 200
    # Logging out of the site revokes the rest.
    browser = Client()
    browser.force_login(user)
    browser.post("/accounts/logout/")
    assert _me(site_token) == 401


def test_row07_owners_list_and_revoke_their_tokens_and_no_one_elses():
    user, other = UserFactory(username="tok4"), UserFactory(username="tok5")
    headers = _bearer(user)
    _bearer(user)
    listed = Client().get("/api/v1/auth/tokens", **headers).json()
    assert len(listed) == 2 and sum(t["current"] for t in listed) == 1
    assert all("expires_at" in t and "token" not in t for t in listed)
    others = _bearer(other)
    other_id = APIToken.objects.get(user=other).pk
    assert (
        Client().delete(f"/api/v1/auth/tokens/{other_id}", **headers).status_code == 404
    )
    assert _me(others) == 200
    current = next(t["id"] for t in listed if t["current"])
    assert (
        Client().delete(f"/api/v1/auth/tokens/{current}", **headers).status_code == 204
    )
    assert _me(headers) == 401


# --- Row 8: lockout by account; the trusted-proxy setting ---------------------------------


def _token_attempt(login: str, password: str, **extra) -> int:
    return (
        Client()
        .post(
            "/api/v1/auth/token",
            json.dumps({"username": login, "password": password}),
            content_type="application/json",
            **extra,
        )
        .status_code
    )


def test_row08_a_locked_account_is_locked_whatever_login_string_names_it(password):
    axes_reset()
    UserFactory(username="locked1", email="locked1@example.org")
    assert [_token_attempt("locked1", "wrong") for _ in range(5)][:4] == [401] * 4
    assert _token_attempt("Locked1@Example.org", password) == 429
    assert _token_attempt("LOCKED1", password) == 429
    page = Client().post(
        "/accounts/login/", {"login": "locked1@example.org", "password": password}
    )
    assert page.status_code == 429


def test_row08_behind_the_trusted_proxy_one_client_cannot_lock_out_another(
    settings, password
):
    axes_reset()
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="shared1", email="shared1@example.org")
    proxy = {"REMOTE_ADDR": "127.0.0.9"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    victim = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(5):
        _token_attempt("shared1", "wrong", **attacker)
    assert _token_attempt("shared1", password, **attacker) == 429
    assert _token_attempt("shared1", password, **victim) == 200
    # What the attacker writes left of the proxy's entry is ignored.
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.77, 203.0.113.5"}
    assert _token_attempt("shared1", password, **spoofed) == 429


def test_row08_the_trusted_proxy_count_is_checked(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings.base import trusted_proxy_count

    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "many")
    with pytest.raises(ImproperlyConfigured):
        trusted_proxy_count(default=0)
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    assert trusted_proxy_count(default=0) == 2
    monkeypatch.delenv("TRUSTED_PROXY_COUNT")
    monkeypatch.setenv("PROXY_COUNT", "1")
    assert trusted_proxy_count(default=0) == 1


# --- Row 10: no 500 from large bodies and numbers -------------------------------------------


def test_row10_a_5_mib_json_body_answers_413_problem_json(client):
    body = json.dumps({"username": "x" * (5 * 1024**2), "password": "y"})
    for path in ("/api/v1/auth/token", "/api/v1/outreach/requests"):
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 413, path
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == 413


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/courses?offset=10000000000000000000000",
        "/api/v1/courses/999999999999999999999999999999",
        "/api/v1/me/courses/-1/progress",
        "/api/v1/reports/education?year=99999999999999999999",
    ],
)
def test_row10_huge_numbers_answer_422_not_500(client, path):
    client.force_login(staff_user(username="nums1"))
    response = client.get(path)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM


def test_row10_every_integer_the_api_takes_is_bounded():
    schema = api.get_openapi_schema()
    unbounded = []

    def walk(node, where):
        if not isinstance(node, dict) or "$ref" in node:
            return
        if node.get("type") == "integer" and "maximum" not in node:
            unbounded.append(where)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, where)
        if "items" in node:
            walk(node["items"], where + "[]")
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.{name}")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                walk(parameter["schema"], f"{method} {path} {parameter['name']}")
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                ref = media["schema"].get("$ref", "")
                component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1])
                walk(component or media["schema"], f"{method} {path} body")

    assert not unbounded, unbounded


# --- Row 11: unknown API paths ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_row11_an_unknown_api_path_is_a_problem_json_404(method):
    # A signed-in browser: session cookie, CSRF enforced (the attack got 403 HTML).
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="apiuser"))
    for path in ("/api/v1/nothing-here", "/api/v2/courses", "/api/"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"] == PROBLEM


# --- Row 12: health --------------------------------------------------------------------------


def test_row12_anonymous_deep_health_shows_nothing_and_asks_no_worker(client):
    response = client.get("/api/v1/health?deep=true")
    body = response.json()
    assert "worker" not in body["checks"] and "ffmpeg_binary" not in body["checks"]
    details = {part["detail"] for part in body["checks"].values()}
    assert details <= {"ok", "unavailable"}, details
    assert connection.vendor not in response.content.decode()


def test_row12_staff_see_details(client, monkeypatch):
    monkeypatch.setattr("config.health.WORKER_TIMEOUT_SECONDS", 0.2)
    client.force_login(staff_user(username="health1"))
    body = client.get("/api/v1/health?deep=true").json()
    assert body["checks"]["database"]["detail"] == connection.vendor
    assert "worker" in body["checks"]


def test_row12_staff_with_a_bearer_token_see_details_and_a_learner_does_not(
    monkeypatch,
):
    # Programs (the monitoring, `make run`'s own test) call with a token, not a cookie.
    monkeypatch.setattr("config.health.WORKER_TIMEOUT_SECONDS", 0.2)
    staff = Client().get(
        "/api/v1/health?deep=true", **_bearer(staff_user(username="health3"))
    )
    assert staff.json()["checks"]["database"]["detail"] == connection.vendor
    assert "worker" in staff.json()["checks"]
    learner = Client().get(
        "/api/v1/health?deep=true", **_bearer(UserFactory(username="health4"))
    )
    assert "worker" not in learner.json()["checks"]
    assert learner.json()["checks"]["database"]["detail"] == "ok"


# On PostgreSQL outside the test's transaction: it makes a transaction read-only only
# before its first query, so the session default has to apply to the next one (health's
# own). SQLite's query_only applies at once, inside the test's transaction as it was.
def test_row12_a_read_only_database_is_reported(client):
    staff = staff_user(username="health2")
    client.force_login(staff)
    if connection.vendor == "postgresql":
        # PostgreSQL lets a transaction turn read-only after its first query (never back);
        # inside a savepoint the flag ends with it, so the test's own teardown can still write.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
            database = client.get("/api/v1/health").json()["checks"]["database"]
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            database = client.get("/api/v1/health").json()["checks"]["database"]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
    assert database == {**database, "ok": False, "detail": "DatabaseReadOnly"}


# --- Row 13: sign-up does not tell which addresses have accounts ------------------------------


def _signup_answer(address: str) -> tuple[int, str, str, int]:
    """What a stranger sees after signing up with `address`: status, next page, its text."""
    client = Client()
    form = client.get("/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": address,
            "name": "탐색자",
            "agree_privacy": "on",
            "consent_version": form.context["form"].fields["consent_version"].initial,
            "password1": "long-enough-Pass-2026",
            "password2": "long-enough-Pass-2026",
        },
    )
    location = response.get("Location", "")
    page = client.get(location) if location else response
    text = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode()
    )
    # The page names the address typed; beyond that, nothing may differ.
    text = re.sub(re.escape(address), "ADDRESS", text, flags=re.I)
    return response.status_code, location, text, len(mail.outbox)


def test_row13_a_taken_address_gets_the_same_answer_as_a_new_one(client):
    owner = UserFactory(username="owner13", email="owner13@example.org")
    mail.outbox.clear()

    taken = _signup_answer("OWNER13@example.org")
    fresh = _signup_answer("NOBODY13@example.org")

    assert taken[:3] == fresh[:3]
    assert taken[0] == 302 and "이메일" in taken[2]
    # The owner is told by mail, to the address only the owner reads; no second account.
    assert [m.to for m in mail.outbox] == [[owner.email], ["nobody13@example.org"]]
    assert "이미" in mail.outbox[0].subject
    assert User.objects.filter(email__iexact=owner.email).count() == 1


# --- Row 14: NUL bytes and field lengths ------------------------------------------------


def test_row14_nul_bytes_are_refused_everywhere(client):
    api_body = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "a\u0000b", "password": "x"}),
        content_type="application/json",
    )
    assert api_body.status_code == 400 and api_body["Content-Type"] == PROBLEM
    assert client.get("/api/v1/courses?q=%00").status_code == 400
    staff = staff_user(username="nul1")
    request, _ = services.request_submit(data=application())
    services.request_review(request_id=request.pk, actor=staff)
    services.request_ask_info(request_id=request.pk, actor=staff, question="주차?")
    page = client.post(
        f"/outreach/requests/{request.public_token}/",
        {"action": "answer", "answer": "네\x00<script>"},
    )
    assert page.status_code == 400
    request.refresh_from_db()
    assert request.applicant_answer == ""


def test_row14_form_fields_are_as_long_as_the_apis():
    from lms.outreach import forms

    schema = api.get_openapi_schema()["components"]["schemas"]
    pairs = [
        (forms.ApplicationForm().fields["notes"], schema["RequestIn"], "notes"),
        (
            forms.ApplicationForm().fields["organization_name"],
            schema["RequestIn"],
            "organization_name",
        ),
        (forms.LectureReportForm().fields["report"], schema["ReportIn"], "report"),
        (forms.SurveyForm().fields["comment"], schema["CourseSurveyIn"], "comment"),
    ]
    for field, component, name in pairs:
        assert field.max_length == component["properties"][name]["maxLength"], name
    long_text = "가" * 200_000
    from core.problems import Problem

    staff = staff_user(username="len1")
    request, _ = services.request_submit(data=application())
    services.request_review(request_id=request.pk, actor=staff)
    services.request_ask_info(request_id=request.pk, actor=staff, question="?")
    with pytest.raises(Problem):
        services.request_answer(token=request.public_token, answer=long_text)


# --- Row 15: dates bounded ---------------------------------------------------------------------


def test_row15_a_deadline_of_9999_12_31_is_refused(client):
    from tests.factories.learning import course_page

    organization = OrganizationFactory()
    contact = UserFactory(
        username="deadline1", role="org_contact", organization=organization
    )
    course = course_page(lessons=1, category="statutory")
    far = "9999-12-31"
    api_answer = Client().post(
        "/api/v1/org/assignments",
        json.dumps({"course_id": course.pk, "deadline": far}),
        content_type="application/json",
        **_bearer(contact),
    )
    assert api_answer.status_code == 422
    client.force_login(contact)
    page = client.post("/org/assignments/", {"course": course.pk, "deadline": far})
    assert page.status_code == 400
    from core.problems import Problem

    with pytest.raises(Problem):
        org_services.assignment_create(
            organization=organization,
            course=course,
            deadline=dt.date(9999, 12, 31),
            by=contact,
        )
    assert not organization.training_assignments.exists()


# --- Row 16: the organization contact's views are logged ----------------------------------


def test_row16_the_contacts_employee_and_progress_views_write_access_log_rows(client):
    from tests.factories.learning import course_page

    organization = OrganizationFactory()
    contact = UserFactory(
        username="contact16", role="org_contact", organization=organization
    )
    course = course_page(lessons=1, category="statutory")
    assignment = org_services.assignment_create(
        organization=organization,
        course=course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )
    client.force_login(contact)
    before = PersonalDataAccess.objects.filter(actor=contact).count()
    assert client.get("/org/").status_code == 200
    assert client.get(f"/org/assignments/{assignment.pk}/").status_code == 200
    headers = _bearer(contact)
    assert Client().get("/api/v1/org/employees", **headers).status_code == 200
    progress = f"/api/v1/org/assignments/{assignment.pk}/progress"
    assert Client().get(progress, **headers).status_code == 200
    rows = PersonalDataAccess.objects.filter(actor=contact).order_by("pk")[before:]
    subjects = [row.subject for row in rows]
    assert len(subjects) == 4, subjects
    assert any("employees" in s for s in subjects)
    assert sum("progress" in s for s in subjects) == 2
