"""Staff idle timeout on the server, security headers, download-only documents and
upload types decided from content."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadRefused, check_upload, content_kinds
from lms.accounts.models import Role
from lms.centers.models import Center
from lms.privacy.middleware import LAST_SEEN_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def staff():
    center = Center.objects.get(kind=Center.Kind.METROPOLITAN)
    return UserFactory(username="centerstaff", role=Role.STAFF, center=center)


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_staff_session_ends_after_the_idle_timeout(client, staff, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(staff, backend=MODEL_BACKEND)
    assert client.get("/api/v1/auth/me").status_code == 200

    _age_session(client, 61)
    expired = client.get("/api/v1/auth/me")

    assert expired.status_code == 401
    assert expired["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/auth/me").status_code == 401  # really logged out


def test_an_admin_page_after_the_timeout_goes_to_the_admin_login(
    client, staff, settings
):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(staff, backend=MODEL_BACKEND)
    client.get("/admin/")
    _age_session(client, 61)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_activity_and_the_extend_button_keep_the_session(client, staff, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(staff, backend=MODEL_BACKEND)
    client.get("/admin/")
    _age_session(client, 50)

    extended = client.post("/privacy/session/extend/")
    assert extended.json() == {"expires_in": 60, "warning_before": 300}
    _age_session(client, 50)  # 100 s since login, 50 s since the extension
    assert client.get("/api/v1/auth/me").status_code == 200


def test_learners_have_no_idle_timeout(client, learner, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(learner, backend=MODEL_BACKEND)
    client.get("/")
    _age_session(client, 3600)
    assert client.get("/api/v1/auth/me").status_code == 200


def test_security_headers_on_public_pages_and_the_api(client):
    for path in ("/", "/api/v1/health", "/accounts/login/"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy, path
        assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_public_policy_lets_the_player_work_without_inline_script(client):
    """hls.js builds its worker from a blob: URL and gives each subtitle track an
    empty data: source; both are allowed, inline script still is not."""
    policy = dict(
        part.strip().split(" ", 1)
        for part in client.get("/")["Content-Security-Policy"].split(";")
    )
    assert policy["worker-src"] == "'self' blob:"
    assert "data:" in policy["media-src"].split()
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "data:" not in policy["script-src"] and "blob:" not in policy["script-src"]


def test_only_the_admin_and_api_docs_get_the_relaxed_policy(client):
    relaxed = client.get("/admin/login/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in relaxed
    strict = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self';" in strict


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("guide.pdf", PDF, True),
        ("notes.txt", "노동법 안내".encode(), True),
        ("list.csv", "이름,구\n김,성북\n".encode("cp949"), True),
        ("guide.pdf", HTML, False),  # HTML dressed as a PDF
        ("guide.pdf", PNG, False),
        ("report.docx", PDF, False),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, False),
    ],
)
def test_upload_types_are_decided_from_content(name, content, accepted):
    upload = SimpleUploadedFile(name, content)
    try:
        check_upload(upload, purpose="document")
    except UploadRefused:
        assert not accepted
    else:
        assert accepted


def test_content_kinds():
    assert content_kinds(None, PDF) == {"pdf"}
    assert content_kinds(None, PNG) == {"png"}
    assert content_kinds(None, "텍스트".encode()) == {"csv", "txt"}


def test_the_admin_document_form_refuses_a_disguised_file(settings):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    form_class = get_document_form(Document)
    user = UserFactory(username="docadmin", is_superuser=True)
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    bad = form_class(
        data={"title": "안내서", "collection": root.pk},
        files={"file": SimpleUploadedFile("guide.pdf", HTML)},
        user=user,
    )
    assert not bad.is_valid()
    assert "확장자와 맞지 않습니다" in str(bad.errors["file"])
    good = form_class(
        data={"title": "안내서", "collection": root.pk},
        files={"file": SimpleUploadedFile("guide.pdf", PDF)},
        user=user,
    )
    assert good.is_valid(), good.errors
