"""The hash chain of training records: every stored alteration is reported at its row.

The alterations are made by SQL, as someone with database access would; the same tests
run on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from lms.learning.models import Enrollment
from lms.learning.services import certificate_issue, certificate_revoke
from lms.organizations.models import Employee
from lms.records import services
from lms.records.models import GENESIS_HASH, RecordChain, TrainingRecord
from tests.conftest import require_service
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.organizations.conftest import pass_test, watch_lessons

# The SQL below names the tables as the database does.
AT = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
LENGTH = 6


def append(
    user, n: int, *, at: dt.datetime = AT, kind=TrainingRecord.Kind.TEST_ATTEMPT
):
    return services.record_append(
        kind=kind,
        subject=f"test:{user.pk}:{n}",
        learner=user,
        course_id=100 + n,
        at=at + dt.timedelta(minutes=n),
        facts={"score": 50 + n, "passed": n % 2 == 0},
    )


@pytest.fixture
def chain_rows(db):
    organization = OrganizationFactory(name="체인 시험 사업장")
    users = [UserFactory() for _ in range(2)]
    for user in users:
        Employee.objects.create(organization=organization, user=user)
    rows = [append(users[n % 2], n) for n in range(LENGTH)]
    return organization, rows


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_appends_link_each_record_to_the_one_before(chain_rows):
    organization, rows = chain_rows
    chain = RecordChain.objects.get(organization=organization, year=2026)
    assert [r.seq for r in rows] == list(range(1, LENGTH + 1))
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    for row in rows:
        assert row.hash == services.chain_hash(row.prev_hash, row.payload)
        payload = json.loads(row.payload)
        assert payload["chain"] == f"org:{organization.pk}"
        assert payload["seq"] == row.seq
        assert services.canonical_json(payload) == row.payload
    assert (chain.head_seq, chain.head_hash) == (LENGTH, rows[-1].hash)
    assert services.verify_chain(chain) is None


def _changed_payload(row: TrainingRecord) -> str:
    data = json.loads(row.payload)
    data["score"] = 100
    return services.canonical_json(data)


ALTERATIONS = {
    "payload": lambda row: sql(
        "UPDATE records_trainingrecord SET payload = %s WHERE id = %s",
        _changed_payload(row),
        row.pk,
    ),
    "payload re-hashed": lambda row: sql(
        "UPDATE records_trainingrecord SET payload = %s, hash = %s WHERE id = %s",
        _changed_payload(row),
        services.chain_hash(row.prev_hash, _changed_payload(row)),
        row.pk,
    ),
    "hash": lambda row: sql(
        "UPDATE records_trainingrecord SET hash = %s WHERE id = %s", "f" * 64, row.pk
    ),
    "prev_hash": lambda row: sql(
        "UPDATE records_trainingrecord SET prev_hash = %s WHERE id = %s",
        "e" * 64,
        row.pk,
    ),
    "learner column": lambda row: sql(
        "UPDATE records_trainingrecord SET learner_id = learner_id + 1000 WHERE id = %s",
        row.pk,
    ),
    "deleted": lambda row: sql(
        "DELETE FROM records_trainingrecord WHERE id = %s", row.pk
    ),
}


@pytest.mark.parametrize("alteration", sorted(ALTERATIONS))
@pytest.mark.parametrize("index", range(LENGTH))
def test_an_altered_row_is_reported_at_that_row(chain_rows, alteration, index):
    organization, rows = chain_rows
    target = rows[index]
    ALTERATIONS[alteration](target)

    chain = RecordChain.objects.get(organization=organization)
    broken = services.verify_chain(chain)

    assert broken is not None
    assert broken.chain_id == chain.pk
    if alteration == "payload re-hashed":
        # The row agrees with itself now; the link to it breaks: the next row's
        # prev_hash, or for the last row the chain's head.
        if index + 1 < LENGTH:
            assert (broken.seq, broken.record_id) == (
                target.seq + 1,
                rows[index + 1].pk,
            )
            assert f"순번 {target.seq}" in broken.problem
        else:
            assert broken.seq == target.seq and "체인 머리" in broken.problem
    elif alteration == "deleted":
        assert broken.seq == target.seq
        assert broken.record_id is None
        assert "삭제" in broken.problem
    else:
        assert (broken.seq, broken.record_id) == (target.seq, target.pk)
    # The rows before the altered one still verify: the report is the first break.
    assert services.first_break(organization_id=organization.pk) == broken


def test_a_replaced_chain_head_is_reported(chain_rows):
    organization, rows = chain_rows
    sql(
        "UPDATE records_recordchain SET head_hash = %s WHERE organization_id = %s",
        "a" * 64,
        organization.pk,
    )
    broken = services.verify_chain(RecordChain.objects.get(organization=organization))
    assert broken is not None and broken.seq == LENGTH
    assert "체인 머리" in broken.problem


def test_verify_command_says_intact_or_names_the_first_broken_row(chain_rows, capsys):
    organization, rows = chain_rows
    call_command("verify_records", organization=organization.pk, year=2026)
    assert "이상 없음" in capsys.readouterr().out

    sql(
        "UPDATE records_trainingrecord SET prev_hash = %s WHERE id = %s",
        "0" * 64,
        rows[3].pk,
    )
    with pytest.raises(CommandError) as failure:
        call_command("verify_records", organization=organization.pk)
    assert f"순번 4 (기록 #{rows[3].pk})" in str(failure.value)
    assert "앞 기록 해시" in str(failure.value)


def test_learners_without_an_organization_go_to_the_personal_chain_of_their_year(db):
    user = UserFactory()
    append(user, 1)
    # 2026-12-31 23:30 in Seoul is still 2026 there, already 2027 is not: the local year counts.
    append(user, 2, at=dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC))
    append(user, 3, at=dt.datetime(2027, 1, 1, 15, 0, tzinfo=dt.UTC))
    chains = {c.year: c for c in RecordChain.objects.filter(scope="personal")}
    assert sorted(chains) == [2026, 2027]
    assert chains[2026].head_seq == 1 and chains[2027].head_seq == 2
    assert all(c.kind == RecordChain.Kind.PERSONAL for c in chains.values())


def test_the_same_fact_is_recorded_once(db):
    user = UserFactory()
    first = append(user, 1)
    again = append(user, 1)
    assert again.pk == first.pk
    assert TrainingRecord.objects.count() == 1


def test_learning_services_record_attempts_completion_and_certificate(
    statutory_course, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(name="성북 시험 사업장")
    employee = UserFactory()
    Employee.objects.create(organization=organization, user=employee)
    Enrollment.objects.create(user=employee, course=statutory_course)
    with django_capture_on_commit_callbacks(execute=True):
        watch_lessons(employee, statutory_course)
        assert pass_test(employee, statutory_course, right=False) == 0
        assert pass_test(employee, statutory_course) == 100
    enrollment = Enrollment.objects.get(user=employee, course=statutory_course)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrollment_id=enrollment.pk)

    year = timezone.localtime(enrollment.completed_at).year
    chain = RecordChain.objects.get(organization=organization, year=year)
    records = list(chain.records.order_by("seq"))
    assert [r.kind for r in records] == [
        "test_attempt",
        "test_attempt",
        "completion",
        "certificate",
    ]
    scores = [json.loads(r.payload)["score"] for r in records[:2]]
    assert scores == [0, 100]
    assert json.loads(records[3].payload)["number"] == certificate.number
    assert {r.learner_id for r in records} == {employee.pk}
    assert services.verify_chain(chain) is None

    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate=certificate,
            by=UserFactory(is_superuser=True),
            reason="부정 수강",
        )
    revoked = chain.records.get(seq=5)
    assert revoked.kind == "certificate_revoked"
    assert json.loads(revoked.payload)["reason"] == "부정 수강"
    chain.refresh_from_db()
    assert services.verify_chain(chain) is None


def test_nothing_is_recorded_for_a_rolled_back_fact(
    db, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_identity_check(
            check_id="email_otp:1",
            learner=user,
            course_id=None,
            at=AT,
            method="email_otp",
            reason="before_test",
            passed=True,
        )
    assert len(callbacks) == 1  # waits for the commit
    assert TrainingRecord.objects.count() == 0
    callbacks[0]()
    record = TrainingRecord.objects.get()
    assert record.kind == "identity_check"
    assert json.loads(record.payload)["method"] == "email_otp"


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_concurrent_appends_keep_the_chain_intact_on_postgresql():
    require_service("DATABASE_URL", "the record chain race test")
    assert connection.vendor == "postgresql"
    organization = OrganizationFactory(name="동시 기록 사업장")
    users = [UserFactory() for _ in range(8)]
    for user in users:
        Employee.objects.create(organization=organization, user=user)
    each = 6
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def learner(user) -> None:
        try:
            barrier.wait()  # the chain does not exist yet: its creation races too
            for n in range(each):
                append(user, n)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=learner, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    chain = RecordChain.objects.get(organization=organization)
    seqs = list(chain.records.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(users) * each + 1))
    assert chain.head_seq == len(users) * each
    assert services.verify_chain(chain) is None


def test_the_sql_names_the_real_tables():
    assert TrainingRecord._meta.db_table == "records_trainingrecord"
    assert RecordChain._meta.db_table == "records_recordchain"
