"""The `/api/v1/outreach/` contract: create (idempotent), list per role, transitions, offers 409."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lms.accounts.models import Role
from lms.centers.models import Center, District
from lms.outreach.matching import PROXIMITY_LABELS
from lms.privacy.models import PersonalDataAccess
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.outreach import (
    matching_request,
    staff_user,
    topic,
    trainer_profile,
)

pytestmark = pytest.mark.django_db


def _payload(**extra):
    start = (timezone.now() + dt.timedelta(days=20)).replace(microsecond=0)
    body = {
        "organization_name": "구로 청소년센터",
        "organization_kind": "community",
        "contact_name": "한담당",
        "contact_phone": "010-9999-0000",
        "contact_email": "han@example.org",
        "participants": 15,
        "address": "서울특별시 구로구 1",
        "district_id": District.objects.get(name="구로구").pk,
        "topics": [topic().code],
        "audience": "youth",
        "slots": [
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
            }
        ],
    }
    body.update(extra)
    return body


def test_create_is_idempotent_and_routed_to_the_district_center(client):
    first = client.post(
        "/api/v1/outreach/requests",
        _payload(),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-1"},
    )
    again = client.post(
        "/api/v1/outreach/requests",
        _payload(),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-1"},
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["center"] == "서남권 노동자종합지원센터"
    assert first.json()["state"] == "submitted"


def test_create_validation_is_problem_json_with_fields(client):
    response = client.post(
        "/api/v1/outreach/requests",
        _payload(participants=5),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "participants"
    past = timezone.now() - dt.timedelta(days=1)
    response = client.post(
        "/api/v1/outreach/requests",
        _payload(
            slots=[
                {
                    "starts_at": past.isoformat(),
                    "ends_at": (past + dt.timedelta(hours=1)).isoformat(),
                }
            ]
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "희망 일시는 앞으로의 날짜여야 합니다."


def test_staff_flow_offer_conflict_and_trainer_accept(client):
    seonam = staff_user(
        username="seonam", center=Center.objects.get(region__name="서남권")
    )
    dongbuk = staff_user(
        username="dongbuk", center=Center.objects.get(region__name="동북권")
    )
    trainer = trainer_profile(district="구로구")
    created = client.post(
        "/api/v1/outreach/requests", _payload(), content_type="application/json"
    ).json()
    rid = created["id"]

    client.force_login(dongbuk)
    assert client.get("/api/v1/outreach/requests").json() == []
    assert client.get(f"/api/v1/outreach/requests/{rid}").status_code == 404

    client.force_login(seonam)
    assert [r["id"] for r in client.get("/api/v1/outreach/requests").json()] == [rid]
    for to in ("under_review", "approved"):
        r = client.post(
            f"/api/v1/outreach/requests/{rid}/transitions",
            {"to": to},
            content_type="application/json",
        )
        assert r.status_code == 200, r.json()
    assert r.json()["state"] == "matching"
    bad = client.post(
        f"/api/v1/outreach/requests/{rid}/transitions",
        {"to": "closed"},
        content_type="application/json",
    )
    assert bad.status_code == 409
    candidates = client.get(f"/api/v1/outreach/requests/{rid}/candidates").json()
    assert candidates["candidates"][0]["trainer_id"] == trainer.pk
    assert candidates["candidates"][0]["reason"].endswith(PROXIMITY_LABELS[0])
    offer = client.post(
        f"/api/v1/outreach/requests/{rid}/offers",
        {"trainer_id": trainer.pk},
        content_type="application/json",
    )
    assert offer.status_code == 201
    other = matching_request(
        starts_at=timezone.now() + dt.timedelta(days=20) + dt.timedelta(minutes=30),
        district="구로구",
    )
    clash = client.post(
        f"/api/v1/outreach/requests/{other.pk}/offers",
        {"trainer_id": trainer.pk},
        content_type="application/json",
    )
    assert clash.status_code == 409
    assert clash["Content-Type"] == "application/problem+json"

    client.force_login(trainer.user)
    accepted = client.post(f"/api/v1/outreach/offers/{offer.json()['id']}/accept")
    assert accepted.status_code == 200
    from lms.outreach.fees import lecture_fee
    from lms.outreach.models import OutreachRequest

    booked = OutreachRequest.objects.get(pk=rid)
    # Same district, regular grade, 2 hours: 300,000 won (360,000 evening/weekend).
    assert (
        accepted.json()["fee_amount"]
        == lecture_fee(
            starts_at=booked.starts_at,
            ends_at=booked.ends_at,
            grade="regular",
            travel="same_district",
        )
        in (300_000, 360_000)
    )
    again = client.post(f"/api/v1/outreach/offers/{offer.json()['id']}/accept")
    assert again.status_code == 409


def test_payout_export_masks_names_and_logs_access(client):
    staff = staff_user()
    trainer = trainer_profile()
    trainer.user.name = "박노무"
    trainer.user.save()
    start = timezone.now() - dt.timedelta(hours=3)
    request = matching_request(starts_at=start)
    from lms.outreach import services
    from lms.outreach.models import Offer

    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    Offer.objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    session = services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=request.pk, actor=staff)
    services.attendance_report(
        session_id=session.pk, trainer_user=trainer.user, attendees=12
    )
    local = start.astimezone(dt.timezone(dt.timedelta(hours=9)))

    client.force_login(staff)
    month = f"/api/v1/outreach/payouts.xlsx?year={local.year}&month={local.month}"
    for missing in ("", "&reason=", "&reason=%20%20ab%20"):
        refused = client.get(month + missing)
        assert refused.status_code == 422, missing
        assert refused["Content-Type"] == "application/problem+json"
        assert refused.json()["type"].endswith("export-reason-required")
    assert not PersonalDataAccess.objects.exists()
    response = client.get(month + "&reason=월말 강사료 정산")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][3] == "강사" and rows[1][3] != "박노무" and rows[1][3].startswith("박")
    )
    assert rows[1][7] == session.fee_amount
    log = PersonalDataAccess.objects.get()
    assert log.actor == staff and log.action == "export" and log.record_count == 1
    assert log.reason == "월말 강사료 정산" and "masked" in log.subject
    # To pay them, staff ask for the full names; the log says so.
    full = client.get(month + "&reason=강사료 지급 처리&full_names=true")
    assert full.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(full.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][3] == "박노무" and rows[1][7] == session.fee_amount
    assert "full" in PersonalDataAccess.objects.latest("pk").subject

    org_user = UserFactory(
        username="orgc", role=Role.ORG_CONTACT, organization=OrganizationFactory()
    )
    client.force_login(org_user)
    assert (
        client.get("/api/v1/outreach/payouts.xlsx?year=2026&month=1").status_code == 403
    )
