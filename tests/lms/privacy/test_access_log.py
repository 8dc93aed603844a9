"""The access log is append-only in the database: the application cannot change its rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lms.privacy.models import PersonalDataAccess
from lms.privacy.services import personal_data_access_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(learner):
    staff = UserFactory(username="auditor", is_superuser=True)
    return personal_data_access_record(
        actor=staff, action="view", subject="회원 정보", subject_user=learner
    )


def test_the_record_names_who_whom_what_and_when(entry, learner):
    row = PersonalDataAccess.objects.get(pk=entry.pk)
    assert (row.actor_username, row.action, row.subject_user) == (
        "auditor",
        "view",
        learner,
    )
    assert timezone.now() - row.at < timedelta(minutes=1)


def test_update_through_the_orm_is_refused(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=entry.pk).update(reason="고침")
    assert PersonalDataAccess.objects.get(pk=entry.pk).reason == ""


def test_save_of_a_changed_row_is_refused(entry):
    entry.subject = "다른 대상"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()


def test_raw_sql_update_and_delete_are_refused(entry):
    table = PersonalDataAccess._meta.db_table
    for sql in (
        f"UPDATE {table} SET actor_username = 'someone' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert PersonalDataAccess.objects.filter(pk=entry.pk).count() == 1


def test_delete_of_a_young_row_is_refused(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=entry.pk).delete()


def test_deleting_the_subject_keeps_the_row_and_its_snapshot(entry, learner):
    learner.delete()

    row = PersonalDataAccess.objects.get(pk=entry.pk)
    assert row.subject_user is None
    assert row.actor_username == "auditor"


def test_triggers_exist_on_this_database():
    # Guards the test itself: on both SQLite and PostgreSQL the triggers are installed.
    assert connection.vendor in {"sqlite", "postgresql"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=%s",
                [PersonalDataAccess._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass",
                [PersonalDataAccess._meta.db_table],
            )
        assert cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_an_operators_flush_is_refused_and_keeps_every_row(entry):
    # `manage.py flush` deletes row by row on SQLite and truncates on PostgreSQL:
    # both meet a trigger, and the whole flush rolls back. (Outside a test's own
    # transaction, as an operator would run it.)
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("flush", interactive=False, verbosity=0)
    assert isinstance(refused.value.__cause__, DatabaseError)
    assert "kept 365 days" in str(refused.value.__cause__)
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()
    assert UserFactory._meta.model.objects.filter(username="auditor").exists()


@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; the flush test covers its DELETE")
    with pytest.raises(DatabaseError, match="TRUNCATE is refused"):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {PersonalDataAccess._meta.db_table} CASCADE")
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_writes_the_log(learner):
    # The flush after this test must get past the guard (tests/db_guards.py) ...
    staff = UserFactory(username="auditor2", is_superuser=True)
    personal_data_access_record(
        actor=staff, action="view", subject="회원 정보", subject_user=learner
    )
    assert PersonalDataAccess.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_after_the_runners_flush_the_log_is_empty_and_still_guarded(learner):
    # ... and leave the table empty with its triggers back in place for the next test.
    assert PersonalDataAccess.objects.count() == 0
    test_triggers_exist_on_this_database()
    staff = UserFactory(username="auditor3", is_superuser=True)
    row = personal_data_access_record(
        actor=staff, action="view", subject="회원 정보", subject_user=learner
    )
    with pytest.raises(DatabaseError):
        PersonalDataAccess.objects.filter(pk=row.pk).delete()
