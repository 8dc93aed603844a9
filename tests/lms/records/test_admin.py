"""The admin screen: the first broken link or 이상 없음, for the metropolitan center only."""

from __future__ import annotations

import pytest
from django.db import connection

from lms.centers.models import Center
from lms.organizations.models import Employee
from lms.records.models import RecordChain
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.outreach import staff_user
from tests.lms.records.test_chain import append

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_chains(db):
    organization = OrganizationFactory(name="관리 화면 사업장")
    employee = UserFactory()
    Employee.objects.create(organization=organization, user=employee)
    rows = [append(employee, n) for n in range(4)]
    append(UserFactory(), 9)  # the 개인 chain
    return organization, rows


def test_verification_reports_intact_chains_then_the_first_broken_row(
    client, two_chains
):
    organization, rows = two_chains
    client.force_login(staff_user(username="head"))
    page = client.get("/admin/records/").content.decode()
    assert f"기관 #{organization.pk}" in page and "개인" in page
    assert "records-outcome" not in page  # listing only; verification on demand

    page = client.get("/admin/records/?verify=1").content.decode()
    assert "이상 없음 (체인 2개 검증)" in page

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_trainingrecord SET hash = %s WHERE id = %s",
            ["1" * 64, rows[2].pk],
        )
    page = client.get(
        f"/admin/records/?verify=1&organization={organization.pk}"
    ).content.decode()
    chain = RecordChain.objects.get(organization=organization)
    assert "끊어진 곳이 있습니다" in page
    assert f"(#{chain.pk})" in page
    assert "<dt>순번</dt><dd>3</dd>" in page
    assert f"<dd>#{rows[2].pk}</dd>" in page
    assert "해시가 내용과 맞지 않습니다" in page

    # The personal chain alone is still intact.
    page = client.get("/admin/records/?verify=1&personal=1").content.decode()
    assert "이상 없음 (체인 1개 검증)" in page


def test_a_bad_filter_is_named_at_its_field_and_nothing_is_verified(client, two_chains):
    client.force_login(staff_user(username="head"))
    page = client.get("/admin/records/?verify=1&year=작년").content.decode()
    assert 'id="records-year-error"' in page and "숫자로 적어 주세요." in page
    assert 'value="작년"' in page  # the input is kept
    assert "records-outcome" not in page


def test_only_the_metropolitan_center_and_superusers_open_it(client, two_chains):
    regional = staff_user(
        username="regional", center=Center.objects.get(region__name="동북권")
    )
    client.force_login(regional)
    refused = client.get("/admin/records/?verify=1")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    menu = client.get("/admin/").content.decode()
    assert "훈련 기록 검증" not in menu

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/records/").status_code == 200
