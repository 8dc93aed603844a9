"""Who may read the education report: staff only, a regional center's staff their own center."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.centers.models import Center
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.outreach import trainer_profile

PATHS = ["/api/v1/reports/education", "/api/v1/reports/education.xlsx"]


def _as(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_gets_401(client, db, path):
    response = client.get(f"{path}?year=2026")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ["learner", "trainer", "org_contact"])
def test_people_who_are_not_staff_get_403(client, db, path, role):
    if role == "trainer":
        user = trainer_profile(username="t-access").user
    elif role == "org_contact":
        user = UserFactory(
            username="contact",
            role=Role.ORG_CONTACT,
            organization=OrganizationFactory(),
        )
    else:
        user = UserFactory(username="citizen")

    response = _as(client, user).get(f"{path}?year=2026")

    assert response.status_code == 403
    assert response.json()["status"] == 403


def test_regional_staff_see_their_own_center_without_asking(
    client, dongbuk_staff, year_of_records
):
    report = _as(client, dongbuk_staff).get("/api/v1/reports/education?year=2026")

    assert report.status_code == 200
    dongbuk = year_of_records["dongbuk"]
    assert report.json()["center"] == {"id": dongbuk.pk, "name": dongbuk.name}
    # Their center's figures only: S1 and S2, not 도심권's S3 and S4.
    assert report.json()["outreach"]["sessions_delivered"] == 2
    assert report.json()["outreach"]["attendees"] == 1068


@pytest.mark.parametrize("path", PATHS)
def test_regional_staff_cannot_see_another_center(
    client, dongbuk_staff, year_of_records, path
):
    dosim = year_of_records["dosim"]
    client = _as(client, dongbuk_staff)

    other = client.get(f"{path}?year=2026&center={dosim.pk}")
    own = client.get(f"{path}?year=2026&center={dongbuk_staff.center_id}")
    missing = client.get(f"{path}?year=2026&center=999999")

    assert other.status_code == 404
    assert other["Content-Type"] == "application/problem+json"
    assert b"1068" not in other.content and b"36" not in other.content
    assert own.status_code == 200
    assert missing.status_code == 404


def test_metropolitan_staff_and_superusers_see_every_center(
    client, metro_staff, superuser, year_of_records
):
    dosim = year_of_records["dosim"]
    for user in (metro_staff, superuser):
        client = _as(client, user)
        everything = client.get("/api/v1/reports/education?year=2026").json()
        one = client.get(f"/api/v1/reports/education?year=2026&center={dosim.pk}")

        assert everything["center"] is None
        assert everything["outreach"]["sessions_delivered"] == 4
        assert one.status_code == 200
        assert one.json()["outreach"]["sessions_delivered"] == 2  # S3, S4


def test_staff_of_a_district_center_see_only_theirs(client, db):
    from lms.centers.models import District
    from tests.factories.outreach import staff_user

    district_center = Center.objects.create(
        name="성북구 노동자종합지원센터",
        kind=Center.Kind.DISTRICT,
        district=District.objects.get(name="성북구"),
    )
    staff = staff_user(username="seongbuk-staff", center=district_center)
    metro = Center.objects.get(kind=Center.Kind.METROPOLITAN)
    client = _as(client, staff)

    assert client.get("/api/v1/reports/education?year=2026").json()["center"] == {
        "id": district_center.pk,
        "name": district_center.name,
    }
    assert (
        client.get(f"/api/v1/reports/education?year=2026&center={metro.pk}").status_code
        == 404
    )
