"""Staff screens that show persons: scoped to the viewer's center (another center's
records answer 404 and are absent from lists) and every view written to the access log,
list views included (one row with the count and the filter)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lms.centers.models import Center, Region
from lms.learning.services import enrollment_create
from lms.outreach.services import request_submit
from lms.privacy.models import PersonalDataAccess
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.factories.outreach import application, seoul_reference_data, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def centers():
    seoul_reference_data()
    return {
        "metropolitan": Center.objects.get(kind=Center.Kind.METROPOLITAN),
        "dongbuk": Center.objects.get(region=Region.objects.get(name="동북권")),
        "seonam": Center.objects.get(region=Region.objects.get(name="서남권")),
    }


@pytest.fixture
def seongbuk_request(centers):
    # 성북구 belongs to 동북권: its regional center owns the request.
    request, _created = request_submit(
        data=application(organization_name="성북 마을협동조합")
    )
    assert request.center == centers["dongbuk"]
    return request


def _logged(actor):
    return list(PersonalDataAccess.objects.filter(actor=actor).order_by("pk"))


def test_outreach_queue_and_detail_are_scoped_to_the_center(
    client, centers, seongbuk_request
):
    other = staff_user(username="seonam-staff", center=centers["seonam"])
    client.force_login(other)

    queue = client.get("/admin/outreach/")
    assert queue.status_code == 200
    assert "성북 마을협동조합" not in queue.content.decode()
    assert client.get(f"/admin/outreach/{seongbuk_request.pk}/").status_code == 404
    [entry] = _logged(other)
    assert entry.action == "view" and entry.record_count == 0

    owner = staff_user(username="dongbuk-staff", center=centers["dongbuk"])
    client.force_login(owner)
    queue = client.get("/admin/outreach/", {"state": "submitted"}).content.decode()
    assert "성북 마을협동조합" in queue and "최담당" not in queue  # masked: 최*당
    detail = client.get(f"/admin/outreach/{seongbuk_request.pk}/")
    assert detail.status_code == 200
    listed, viewed = _logged(owner)
    assert listed.record_count == 1 and "state=submitted" in listed.subject
    assert viewed.record_count == 1 and f"#{seongbuk_request.pk}" in viewed.subject


def test_payout_download_asks_a_reason_and_logs_it(client, centers):
    staff = staff_user(username="payout-staff", center=centers["dongbuk"])
    client.force_login(staff)
    assert client.get("/admin/outreach/payouts/").status_code == 200

    refused = client.post(
        "/admin/outreach/payouts/", {"year": 2026, "month": 1, "reason": ""}
    )
    assert refused.status_code == 200
    assert "내보내기 사유를 적어 주세요." in refused.content.decode()
    too_short = client.post(
        "/admin/outreach/payouts/", {"year": 2026, "month": 1, "reason": "정산"}
    )
    assert too_short.status_code == 200 and "xlsx" not in too_short["Content-Type"]
    assert not _logged(staff)

    download = client.post(
        "/admin/outreach/payouts/",
        {"year": 2026, "month": 1, "reason": "1월 강사료 정산"},
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert next(sheet.iter_rows(values_only=True))[3] == "강사"
    [entry] = _logged(staff)
    assert entry.action == "export" and entry.reason == "1월 강사료 정산"
    # Without 실명 포함 the names stay masked, and the log says which it was.
    assert entry.subject == "outreach payouts 2026-01 (masked trainer names)"
    assert entry.record_count == 0


def test_online_learners_are_the_metropolitan_centers(client, centers):
    course = course_page(lessons=1, title="노동법 기초")
    enrollment_create(user=UserFactory(name="김민용"), course=course)
    regional = staff_user(username="regional", center=centers["dongbuk"])
    client.force_login(regional)
    overview = client.get("/admin/learning/")
    assert overview.status_code == 200
    assert f"/admin/learning/courses/{course.pk}/learners/" not in (
        overview.content.decode()
    )
    assert (
        client.get(f"/admin/learning/courses/{course.pk}/learners/").status_code == 404
    )
    export = client.post(
        f"/admin/learning/courses/{course.pk}/learners/export/",
        {"reason": "명단 확인 필요", "format": "csv"},
    )
    assert export.status_code == 404
    assert not _logged(regional)

    metropolitan = staff_user(username="metro", center=centers["metropolitan"])
    client.force_login(metropolitan)
    listing = client.get(f"/admin/learning/courses/{course.pk}/learners/", {"p": 1})
    assert listing.status_code == 200 and "김*용" in listing.content.decode()
    [entry] = _logged(metropolitan)
    assert entry.action == "view" and entry.record_count == 1


def test_materials_list_is_logged(client, centers):
    staff = staff_user(username="materials-staff", center=centers["dongbuk"])
    client.force_login(staff)
    assert client.get("/admin/outreach/materials/").status_code == 200
    [entry] = _logged(staff)
    assert entry.action == "view" and entry.subject.startswith("trainer materials")


def test_user_list_is_logged_and_scoped_to_the_center(client, centers):
    from django.contrib.auth.models import Group, Permission

    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)
    listing = client.get("/admin/users/", {"q": "boss"})
    assert listing.status_code == 200
    [entry] = _logged(boss)
    assert entry.action == "view" and "q=boss" in entry.subject
    assert entry.record_count == 1

    # Center staff given the user permissions still see only their own center.
    colleague = staff_user(username="colleague", center=centers["dongbuk"])
    outsider = staff_user(username="outsider", center=centers["seonam"])
    managers = Group.objects.create(name="user managers")
    managers.permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "change_user", "add_user", "delete_user"]
        )
    )
    manager = staff_user(username="manager", center=centers["dongbuk"])
    manager.groups.add(managers)
    client.force_login(manager)
    page = client.get("/admin/users/").content.decode()
    assert "colleague" in page and "outsider" not in page and "boss" not in page
    assert client.get(f"/admin/users/edit/{colleague.pk}/").status_code == 200
    assert client.get(f"/admin/users/edit/{outsider.pk}/").status_code == 404
    assert client.get(f"/admin/users/edit/{boss.pk}/").status_code == 404


def test_trainer_pool_lists_are_logged(client, centers):
    staff = staff_user(username="pool-staff", center=centers["dongbuk"])
    client.force_login(staff)
    for path in ("/admin/trainers/", "/admin/trainer-qualifications/"):
        assert client.get(path).status_code == 200
    assert [e.subject.split(":")[0] for e in _logged(staff)] == ["강사단 목록"] * 2
    assert client.get("/admin/topics/").status_code == 200  # no persons: no row
    assert len(_logged(staff)) == 2


def test_trainer_form_offers_trainer_accounts_only(client, centers):
    """The pool's add form lists trainers to pick from, not every citizen by name."""
    staff = staff_user(username="pool-editor", center=centers["dongbuk"])
    UserFactory(username="trainer-kim", name="김강사", role="trainer")
    UserFactory(username="citizen-lee", name="이시민", role="learner")
    client.force_login(staff)
    response = client.get("/admin/trainers/new/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "trainer-kim" in page or "김강사" in page
    assert "citizen-lee" not in page and "이시민" not in page
