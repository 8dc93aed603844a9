"""Retention: the daily purge removes whole chains past their kind's period, and audits it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from core.models import AuditRecord
from lms.organizations.models import Employee
from lms.privacy import retention
from lms.privacy.tasks import purge_expired_task
from lms.records import services
from lms.records.models import RecordChain, TrainingRecord
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.records.test_chain import append

pytestmark = pytest.mark.django_db


def _year(user, year: int, count: int = 2) -> None:
    for n in range(count):
        append(user, year * 10 + n, at=dt.datetime(year, 6, 1, tzinfo=dt.UTC))


def test_the_purge_removes_only_expired_chains_and_audits_each():
    organization = OrganizationFactory()
    employee = UserFactory()
    Employee.objects.create(organization=organization, user=employee)
    personal = UserFactory()
    for year in (2021, 2022, 2023):
        _year(employee, year)
    _year(personal, 2022, count=3)
    _year(personal, 2023)
    expired = RecordChain.objects.get(organization=organization, year=2022)
    expired_head = expired.head_hash

    # 2026-01-01 in Seoul, kept 3 years after the year: 2022 and earlier have expired.
    with override_settings(
        RECORDS_RETENTION_YEARS={"default": 3, "organization": 3, "personal": 4}
    ):
        deleted = services.purge_expired_chains(
            now=dt.datetime(2025, 12, 31, 15, 30, tzinfo=dt.UTC)
        )

    remaining = set(RecordChain.objects.values_list("scope", "year"))
    assert remaining == {
        (f"org:{organization.pk}", 2023),
        ("personal", 2022),  # the personal kind keeps 4 years
        ("personal", 2023),
    }
    assert deleted == 2
    assert not TrainingRecord.objects.filter(
        chain__year__lte=2022, chain__kind="organization"
    ).exists()
    assert (
        TrainingRecord.objects.filter(chain__scope="personal", chain__year=2022).count()
        == 3
    )
    purged = {
        (r.data["scope"], r.data["year"]): r
        for r in AuditRecord.objects.filter(action="records.chain.purge")
    }
    assert set(purged) == {
        (f"org:{organization.pk}", 2021),
        (f"org:{organization.pk}", 2022),
    }
    log = purged[(f"org:{organization.pk}", 2022)]
    assert log.actor is None and log.subject_type == "records.recordchain"
    assert log.data["records"] == 2 and log.data["head_hash"] == expired_head
    assert log.data["retention_years"] == 3
    assert "기록 2건 삭제" in log.summary


def test_a_day_before_the_end_of_the_period_nothing_goes():
    _year(UserFactory(), 2022)
    # 2025-12-31 23:59 in Seoul: 2022 is kept through 2025.
    deleted = services.purge_expired_chains(
        now=dt.datetime(2025, 12, 31, 14, 59, tzinfo=dt.UTC)
    )
    assert deleted == 0
    assert RecordChain.objects.count() == 1
    assert not AuditRecord.objects.filter(action="records.chain.purge").exists()


def test_the_daily_retention_job_runs_the_chain_purge():
    assert "records.RecordChain" in {p.label for p in retention.purgers()}
    _year(UserFactory(), 2000)  # long expired under any setting of a few years
    _year(UserFactory(), dt.date.today().year)

    counts = purge_expired_task.apply().get()

    assert counts["records.RecordChain"] == 1
    assert list(RecordChain.objects.values_list("year", flat=True)) == [
        dt.date.today().year
    ]
