"""Row 2: uploads are checked by content per purpose; materials are private by the access
policy and reach their trainer and the right staff only through short-lived links."""

from __future__ import annotations

import io
import time
import zipfile
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lms.accounts.models import Role
from lms.centers.models import Center, Region
from lms.trainers.models import MaterialRevision
from lms.trainers.services import material_revision_upload
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.outreach import staff_user, trainer_profile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\x00" * 32
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def office(marker: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
    return buffer.getvalue()


def hwpx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/content.hpf", "<x/>")
    return buffer.getvalue()


OLE = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504


@pytest.mark.parametrize(
    ("purpose", "name", "content", "accepted"),
    [
        ("material", "guide.pdf", PDF, True),
        ("material", "slides.pptx", office("ppt/presentation.xml"), True),
        ("material", "notes.docx", office("word/document.xml"), True),
        ("material", "guide.hwp", OLE, True),
        ("material", "guide.hwpx", hwpx(), True),
        ("material", "chart.png", PNG, True),
        ("material", "page.html", HTML, False),
        ("material", "app.js", b"alert(document.cookie)", False),
        ("material", "logo.svg", SVG, False),
        ("material", "tool.exe", b"MZ\x90\x00" + b"\x00" * 60, False),
        ("material", "guide.pdf", HTML, False),  # HTML dressed as a PDF
        ("material", "slides.pptx", office("word/document.xml"), False),
        ("material", "list.csv", "이름,구\n".encode(), False),  # not a material
        ("caption", "ko.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", True),
        ("caption", "ko.srt", b"1\n00:00:00,000 --> 00:00:01,000\nhi\n", True),
        ("caption", "ko.vtt", HTML, False),
        ("caption", "ko.pdf", PDF, False),
        ("import", "staff.csv", "이름,이메일\n김,k@example.org\n".encode(), True),
        ("import", "staff.csv", HTML, False),
        ("import", "staff.csv", PDF, False),
        ("import", "staff.xlsx", office("xl/workbook.xml"), False),
    ],
)
def test_row02_uploads_are_checked_by_content_per_purpose(
    purpose, name, content, accepted
):
    from core.uploads import UploadRefused, check_upload

    upload = SimpleUploadedFile(name, content)
    if accepted:
        assert check_upload(upload, purpose=purpose)
    else:
        with pytest.raises(UploadRefused):
            check_upload(upload, purpose=purpose)


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.html", HTML), ("x.js", b"alert(1)"), ("x.svg", SVG), ("x.pdf", HTML)],
)
def test_row02_the_trainer_portal_refuses_a_hostile_material(client, name, content):
    trainer = trainer_profile()
    client.force_login(trainer.user)

    response = client.post(
        "/outreach/trainer/action/",
        {
            "action": "material",
            "title": "자료",
            "file": SimpleUploadedFile(name, content),
        },
        follow=True,
    )

    assert response.status_code == 200
    assert not MaterialRevision.objects.exists()
    # And the service itself refuses it, whoever calls it.
    from core.problems import Problem

    with pytest.raises(Problem):
        material_revision_upload(
            trainer=trainer, title="자료", file=SimpleUploadedFile(name, content)
        )
    assert not MaterialRevision.objects.exists()


@pytest.fixture
def people():
    """A 동북권 trainer's materials in all three review states, and everyone around."""
    trainer = trainer_profile(district="성북구")  # 동북권
    revisions = []
    for status in MaterialRevision.Status.values:
        revision = material_revision_upload(
            trainer=trainer,
            title=f"노동법 {status}",
            file=SimpleUploadedFile(f"{status}.pdf", PDF),
        )
        MaterialRevision.objects.filter(pk=revision.pk).update(status=status)
        revisions.append(revision)
    dongbuk = Center.objects.get(region=Region.objects.get(name="동북권"))
    seonam = Center.objects.get(region=Region.objects.get(name="서남권"))
    return SimpleNamespace(
        revisions=revisions,
        trainer=trainer.user,
        right_staff=[
            staff_user(username="staff-dongbuk-1", center=dongbuk),
            staff_user(username="staff-metro-1"),
            UserFactory(username="root1", is_superuser=True, is_staff=True),
        ],
        outsiders={
            "learner": UserFactory(username="learner-x"),
            "other trainer": trainer_profile(district="강남구").user,
            "other center staff": staff_user(username="staff-seonam-1", center=seonam),
            "org contact": UserFactory(
                username="org-x",
                role=Role.ORG_CONTACT,
                organization=OrganizationFactory(),
            ),
        },
    )


def material_link(*, revision, user) -> str:
    from lms.trainers.links import material_link as make_link

    return make_link(revision=revision, user=user)


def _get(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_row02_a_material_in_every_review_state_is_404_to_everyone_else(people):
    assert {r.status for r in MaterialRevision.objects.all()} == {
        "pending",
        "approved",
        "rejected",
    }
    for revision in MaterialRevision.objects.select_related("document"):
        document = revision.document
        # The public document URL serves no material, to no one, in any state.
        for user in [None, people.trainer, *people.right_staff]:
            assert _get(user, document.url).status_code == 404, (revision, user)
        owners_link = material_link(revision=revision, user=people.trainer)
        assert _get(None, owners_link).status_code == 404
        for role, user in people.outsiders.items():
            # Neither the trainer's link nor one made out to them opens it.
            assert _get(user, owners_link).status_code == 404, (role, revision)
            own_link = material_link(revision=revision, user=user)
            assert _get(user, own_link).status_code == 404, (role, revision)


def test_row02_its_trainer_and_the_right_staff_get_it_until_the_link_expires(
    people, settings, monkeypatch
):
    settings.MATERIAL_LINK_SECONDS = 300
    for revision in MaterialRevision.objects.all():
        for user in [people.trainer, *people.right_staff]:
            link = material_link(revision=revision, user=user)
            response = _get(user, link)
            assert response.status_code == 200, (revision.status, user.username)
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] == "application/octet-stream"
            assert "sandbox" in response["Content-Security-Policy"]
            # The same link, 301 seconds later, no longer works.
            later = time.time() + 301
            clock = SimpleNamespace(time=lambda at=later: at)
            monkeypatch.setattr(signing, "time", clock)
            assert _get(user, link).status_code == 404
            monkeypatch.undo()
            settings.MATERIAL_LINK_SECONDS = 300


def test_row02_the_review_list_shows_only_the_centers_materials(people, client):
    other_center_staff = people.outsiders["other center staff"]
    client.force_login(other_center_staff)
    page = client.get("/admin/outreach/materials/")
    assert page.status_code == 200
    assert "노동법" not in page.content.decode()
    client.force_login(people.right_staff[0])
    assert "노동법 pending" in client.get("/admin/outreach/materials/").content.decode()
