"""The organization's evidence pack carries the chain head and each employee's records."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from lms.organizations import services as organizations
from lms.records.models import RecordChain, TrainingRecord
from lms.records.services import chain_hash
from tests.factories import UserFactory
from tests.lms.organizations.conftest import complete, watch_lessons

pytestmark = pytest.mark.django_db


def _employ(organization, contact, **fields):
    user = UserFactory(**fields)
    link = organizations.invitation_link_get(organization=organization, by=contact)
    organizations.invitation_accept(token=link.token, user=user)
    return user


def _download(client, assignment) -> zipfile.ZipFile:
    response = client.post(
        f"/org/assignments/{assignment.pk}/evidence/", {"reason": "노동청 점검 제출용"}
    )
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_evidence_pack_carries_the_chain_head_and_each_employees_records(
    client, contact, organization, statutory_course, django_capture_on_commit_callbacks
):
    assignment = organizations.assignment_create(
        organization=organization,
        course=statutory_course,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        by=contact,
    )
    done = _employ(organization, contact, name="김하늘")
    started = _employ(organization, contact, name="이바다")
    with django_capture_on_commit_callbacks(execute=True):
        number = complete(done, statutory_course)
        watch_lessons(started, statutory_course, count=1)
    chain = RecordChain.objects.get(organization=organization)
    client.force_login(contact)

    bundle = _download(client, assignment)
    document = json.loads(bundle.read("훈련기록.json"))
    assert document["chains"] == [
        {
            "chain": f"org:{organization.pk}",
            "year": chain.year,
            "head_seq": 3,
            "head_hash": chain.head_hash,
            "verified": True,
            "status": "이상 없음",
        }
    ]
    employees = {e["name"]: e["records"] for e in document["employees"]}
    assert employees["이바다"] == []
    kinds = [r["kind"] for r in employees["김하늘"]]
    assert kinds == ["test_attempt", "completion", "certificate"]
    # Each record can be checked by hand against its predecessor and the head.
    prev = "0" * 64
    for record in employees["김하늘"]:
        assert record["prev_hash"] == prev
        assert chain_hash(prev, record["payload"]) == record["hash"]
        prev = record["hash"]
    assert prev == chain.head_hash
    assert json.loads(employees["김하늘"][2]["payload"])["number"] == number
    assert all(r["policy"] is None for r in employees["김하늘"])

    workbook = load_workbook(io.BytesIO(bundle.read("수료현황.xlsx")))
    sheet = workbook["훈련 기록"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == (
        f"기관 #{organization.pk}",
        chain.year,
        3,
        chain.head_hash,
        "이상 없음",
    )
    record_rows = [r for r in rows if r[0] == "김하늘"]
    assert [r[3] for r in record_rows] == ["평가 응시", "수료", "수료증 발급"]
    assert all(r[5] == "해당 없음" for r in record_rows)

    # A record changed in the database shows in the next pack, at its row.
    attempt = TrainingRecord.objects.get(chain=chain, seq=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_trainingrecord SET payload = %s WHERE id = %s",
            [attempt.payload.replace('"score":100', '"score":60'), attempt.pk],
        )
    document = json.loads(_download(client, assignment).read("훈련기록.json"))
    assert document["chains"][0]["verified"] is False
    assert f"순번 1 (기록 #{attempt.pk})" in document["chains"][0]["status"]
