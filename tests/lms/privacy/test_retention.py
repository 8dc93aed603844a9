"""Retention: the daily purge deletes expired rows and their files, never young logs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from wagtail.documents.models import Document

from lms.privacy import retention
from lms.privacy.models import ConsentRecord, PersonalDataAccess
from lms.privacy.services import consent_current, personal_data_access_record
from lms.privacy.tasks import purge_expired_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _backdate_log(row: PersonalDataAccess, days: int) -> None:
    # Only a fixture may write an old row: the triggers block UPDATE, so insert it anew.
    table = PersonalDataAccess._meta.db_table
    at = timezone.now() - timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (at, actor_username, action, subject, record_count,"  # noqa: S608
            " reason, path) VALUES (%s, %s, 'view', %s, 1, '', '')",
            [at, row.actor_username, f"old-{days}"],
        )


@pytest.fixture
def staff():
    return UserFactory(username="auditor", is_superuser=True)


def test_access_logs_younger_than_their_retention_survive(staff):
    keep = settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS
    recent = personal_data_access_record(actor=staff, action="view", subject="new")
    _backdate_log(recent, days=keep - 1)
    _backdate_log(recent, days=keep + 1)

    counts = purge_expired_task.apply().get()

    assert counts["privacy.PersonalDataAccess"] == 1
    subjects = set(PersonalDataAccess.objects.values_list("subject", flat=True))
    assert subjects == {"new", f"old-{keep - 1}"}


def test_withdrawn_consents_go_after_their_period_and_given_ones_stay(staff):
    version = consent_current(purpose_kind="signup")
    days = settings.PRIVACY_WITHDRAWN_CONSENT_RETENTION_DAYS
    given = ConsentRecord.objects.create(user=staff, version=version)
    old = ConsentRecord.objects.create(
        user=staff,
        version=version,
        withdrawn_at=timezone.now() - timedelta(days=days + 1),
    )

    retention.purge_expired()

    assert list(ConsentRecord.objects.all()) == [given]
    assert not ConsentRecord.objects.filter(pk=old.pk).exists()


def test_a_registered_model_loses_expired_rows_and_their_stored_files(
    django_capture_on_commit_callbacks,
):
    rule = retention.register(
        Document, days=30, field="created_at", storage_fields=["file"]
    )
    try:
        old = Document(title="old")
        old.file.save("old.txt", ContentFile(b"old"), save=False)
        old.save()
        Document.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=31)
        )
        new = Document(title="new")
        new.file.save("new.txt", ContentFile(b"new"), save=False)
        new.save()
        old_name = old.file.name

        with django_capture_on_commit_callbacks(execute=True):
            deleted = retention.purge_rule(rule)

        assert deleted == 1
        assert list(Document.objects.values_list("title", flat=True)) == ["new"]
        assert not default_storage.exists(old_name)
        assert default_storage.exists(new.file.name)
    finally:
        retention._rules.pop(rule.label)


def test_the_purge_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-expired"]
    assert entry["task"] == "privacy.purge_expired"
    assert entry["schedule"] == timedelta(days=1)


def test_access_log_retention_is_never_below_a_year():
    assert settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS >= 365
    rule = {r.label: r for r in retention.rules()}["privacy.PersonalDataAccess"]
    assert rule.days == settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS
