"""Versioned consent recorded at signup; bulk exports need a stated reason and are logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.problems import PermissionDenied
from lms.accounts.models import Role, User
from lms.centers.models import Center
from lms.privacy.forms import ExportReasonForm
from lms.privacy.models import ConsentRecord, ConsentVersion, PersonalDataAccess
from lms.privacy.services import ExportReasonRequired, consent_current, export_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.org",
    "password1": "a-long-unusual-passphrase-9",
    "password2": "a-long-unusual-passphrase-9",
    "name": "김가입",
    "agree_privacy": "on",
}


def test_signup_records_the_consent_version_shown(client):
    page = client.get(reverse("account_signup"))
    assert "보유 기간" in page.content.decode()

    client.post(reverse("account_signup"), {**SIGNUP, "consent_version": "1"})

    user = User.objects.get(email="new@example.org")
    record = ConsentRecord.objects.get(user=user)
    assert record.version.version == 1
    assert record.version.purpose_kind == "signup"
    assert record.ip_address == "127.0.0.1"


def test_a_new_version_replaces_the_old_and_a_stale_form_is_refused(client):
    old = consent_current(purpose_kind="signup")
    ConsentVersion.objects.create(
        purpose_kind="signup",
        version=2,
        purpose=old.purpose,
        items=old.items + ", 휴대전화",
        retention=old.retention,
        right_to_refuse=old.right_to_refuse,
    )
    assert consent_current(purpose_kind="signup").version == 2

    stale = client.post(reverse("account_signup"), {**SIGNUP, "consent_version": "1"})
    assert "동의서 내용이 바뀌었습니다" in stale.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()

    client.post(reverse("account_signup"), {**SIGNUP, "consent_version": "2"})
    record = ConsentRecord.objects.get(user__email="new@example.org")
    assert record.version.version == 2
    assert "휴대전화" in record.version.items


def test_the_consent_in_force_is_public_in_the_api(client):
    body = client.get("/api/v1/privacy/consent").json()
    assert body["version"] == 1
    assert {"purpose", "items", "retention", "right_to_refuse"} <= set(body)


@pytest.fixture
def staff():
    center = Center.objects.get(kind=Center.Kind.METROPOLITAN)
    return UserFactory(username="exporter", role=Role.STAFF, center=center)


@pytest.mark.parametrize("reason", ["", "   ", "업무"])
def test_an_export_without_a_real_reason_is_refused_and_not_logged(staff, reason):
    with pytest.raises(ExportReasonRequired) as error:
        export_start(user=staff, kind="교육 참석자", reason=reason)
    assert error.value.status == 422
    assert not PersonalDataAccess.objects.exists()


def test_an_export_with_a_reason_writes_the_log(staff):
    entry = export_start(
        user=staff,
        kind="2026년 1분기 참석자",
        reason="서울시 분기 보고",
        record_count=42,
    )

    row = PersonalDataAccess.objects.get(pk=entry.pk)
    assert (row.action, row.subject, row.reason, row.record_count) == (
        "export",
        "2026년 1분기 참석자",
        "서울시 분기 보고",
        42,
    )
    assert row.actor_username == "exporter"


def test_only_staff_and_superusers_may_export(learner):
    with pytest.raises(PermissionDenied):
        export_start(user=learner, kind="회원", reason="궁금해서 봅니다")


def test_the_reason_form_asks_in_korean():
    form = ExportReasonForm(data={"reason": ""})
    assert not form.is_valid()
    assert "사유" in form.errors["reason"][0]
