"""Appending to the chains, verifying them, and purging expired chains.

The hash of a record is sha256(prev_hash || payload) over UTF-8 bytes, where prev_hash is
the previous record's hash in hex (64 zeros before the first) and payload is the record's
canonical JSON: keys sorted, no spaces, non-ASCII kept. The payload names its chain, year
and sequence number, so a record moved to another place no longer verifies either.

Business services call the `record_*` functions at their end; the append runs once the
business transaction commits (nothing is recorded for a rolled-back fact), under a lock
on the chain's row, so concurrent appends get consecutive numbers.

Which organization a learner trains for is known to the organizations app, above this
one: it registers a resolver (`register_organization_resolver`). Without an answer the
learner's records go to the 개인 chain of the year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from lms.records.models import GENESIS_HASH, RecordChain, TrainingRecord

logger = logging.getLogger(__name__)
PAYLOAD_VERSION = 1

Kind = TrainingRecord.Kind

# --- Canonical form and hash ------------------------------------------------------------


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _when(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


# --- Which chain ------------------------------------------------------------------------

_resolvers: list[Callable[[Any], int | None]] = []


def register_organization_resolver(resolver: Callable[[Any], int | None]) -> None:
    """`resolver(user)` answers the id of the organization the user trains for, or None."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def organization_of(user: Any) -> int | None:
    for resolver in _resolvers:
        found = resolver(user)
        if found is not None:
            return found
    # An organization's contact who trains counts for their organization.
    return getattr(user, "organization_id", None)


def _scope(organization_id: int | None) -> tuple[str, str]:
    if organization_id is None:
        return RecordChain.Kind.PERSONAL, "personal"
    return RecordChain.Kind.ORGANIZATION, f"org:{organization_id}"


def _chain_locked(organization_id: int | None, year: int) -> RecordChain:
    """The chain's row, locked until the end of the transaction; created when new."""
    kind, scope = _scope(organization_id)
    chains = RecordChain.objects.select_for_update()
    chain = chains.filter(scope=scope, year=year).first()
    if chain is not None:
        return chain
    try:
        with transaction.atomic():
            return RecordChain.objects.create(
                kind=kind, scope=scope, organization_id=organization_id, year=year
            )
    except IntegrityError:
        # Another transaction created it first; its commit released the unique index.
        return chains.get(scope=scope, year=year)


# --- Appending --------------------------------------------------------------------------


def record_append(
    *,
    kind: str,
    subject: str,
    learner: Any,
    course_id: int | None,
    at: dt.datetime,
    facts: dict[str, Any],
) -> TrainingRecord:
    """Append one record now (in its own transaction); the same fact twice returns the first."""
    organization_id = organization_of(learner)
    year = timezone.localtime(at).year
    with transaction.atomic():
        chain = _chain_locked(organization_id, year)
        existing = TrainingRecord.objects.filter(kind=kind, subject=subject).first()
        if existing is not None:
            return existing
        seq = chain.head_seq + 1
        payload = canonical_json(
            {
                "v": PAYLOAD_VERSION,
                "chain": chain.scope,
                "year": year,
                "seq": seq,
                "kind": kind,
                "subject": subject,
                "learner": learner.pk,
                "organization": organization_id,
                "course": course_id,
                "at": _when(at),
                **facts,
            }
        )
        digest = chain_hash(chain.head_hash, payload)
        record = TrainingRecord.objects.create(
            chain=chain,
            seq=seq,
            kind=kind,
            subject=subject,
            learner_id=learner.pk,
            course_id=course_id,
            payload=payload,
            prev_hash=chain.head_hash,
            hash=digest,
        )
        chain.head_seq, chain.head_hash = seq, digest
        chain.last_appended_at = record.appended_at
        chain.save(update_fields=["head_seq", "head_hash", "last_appended_at"])
    return record


def _on_commit(**arguments: Any) -> None:
    def append() -> None:
        record_append(**arguments)

    # robust: the business fact is committed; a failed append is logged, not raised
    # into the learner's request.
    transaction.on_commit(append, robust=True)


def record_completion(*, enrollment: Any, policy: str | None = None) -> None:
    """An enrollment completed (read by duck typing: user, course_id, dates)."""
    _on_commit(
        kind=Kind.COMPLETION,
        subject=f"learning.enrollment:{enrollment.pk}",
        learner=enrollment.user,
        course_id=enrollment.course_id,
        at=enrollment.completed_at,
        facts={
            "enrolled_at": _when(enrollment.enrolled_at),
            "completed_at": _when(enrollment.completed_at),
            "policy": policy,
        },
    )


def record_certificate(
    *, certificate: Any, enrollment: Any, policy: str | None = None
) -> None:
    _on_commit(
        kind=Kind.CERTIFICATE,
        subject=f"learning.certificate:{certificate.pk}",
        learner=enrollment.user,
        course_id=enrollment.course_id,
        at=certificate.issued_at,
        facts={
            "number": certificate.number,
            "enrollment": enrollment.pk,
            "completed_at": _when(enrollment.completed_at),
            "policy": policy,
        },
    )


def record_certificate_revoked(*, certificate: Any, enrollment: Any) -> None:
    _on_commit(
        kind=Kind.CERTIFICATE_REVOKED,
        subject=f"learning.certificate:{certificate.pk}",
        learner=enrollment.user,
        course_id=enrollment.course_id,
        at=certificate.revoked_at,
        facts={"number": certificate.number, "reason": certificate.revoked_reason},
    )


def record_test_attempt(
    *, attempt: Any, enrollment: Any, policy: str | None = None
) -> None:
    _on_commit(
        kind=Kind.TEST_ATTEMPT,
        subject=f"learning.coursetestattempt:{attempt.pk}",
        learner=enrollment.user,
        course_id=enrollment.course_id,
        at=attempt.submitted_at,
        facts={
            "enrollment": enrollment.pk,
            "score": attempt.score,
            "passed": attempt.passed,
            "questions": len(attempt.question_ids),
            "started_at": _when(attempt.started_at),
            "submitted_at": _when(attempt.submitted_at),
            "policy": policy,
        },
    )


def record_identity_check(
    *,
    check_id: str,
    learner: Any,
    course_id: int | None,
    at: dt.datetime,
    method: str,
    reason: str,
    passed: bool,
) -> None:
    """The hook for identity re-checks: the verifier calls it once per finished check.

    No identity verifier exists in the product yet; `check_id` is the verifier's own id
    of the check ("email_otp:42"), `method` names the verifier, `reason` says why the
    check was asked (enrolment, every N 차시, before a test).
    """
    _on_commit(
        kind=Kind.IDENTITY_CHECK,
        subject=f"identity:{check_id}",
        learner=learner,
        course_id=course_id,
        at=at,
        facts={"method": method, "reason": reason, "passed": passed},
    )


# --- Verifying --------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain."""

    chain_id: int
    chain_label: str
    year: int
    seq: int
    record_id: int | None
    problem: str

    def __str__(self) -> str:
        row = f"기록 #{self.record_id}" if self.record_id else "기록 없음"
        return (
            f"{self.chain_label} {self.year}년 체인(#{self.chain_id}) 순번 {self.seq} "
            f"({row}): {self.problem}"
        )


_COLUMNS = {"kind": "kind", "subject": "subject", "learner": "learner_id"}


def _row_problem(row: TrainingRecord, chain: RecordChain, prev_hash: str) -> str | None:
    if row.prev_hash != prev_hash:
        return (
            f"앞 기록 해시가 다릅니다 (저장된 값 {row.prev_hash[:16]}…, "
            f"순번 {row.seq - 1}의 해시 {prev_hash[:16]}…)"
        )
    if chain_hash(row.prev_hash, row.payload) != row.hash:
        return "해시가 내용과 맞지 않습니다 (내용 또는 해시가 바뀌었습니다)"
    try:
        data = json.loads(row.payload)
    except ValueError:
        return "내용이 JSON이 아닙니다"
    if not isinstance(data, dict) or canonical_json(data) != row.payload:
        return "내용이 정규화된 JSON이 아닙니다"
    expected = {
        "chain": chain.scope,
        "year": chain.year,
        "seq": row.seq,
        "course": row.course_id,
        **{key: getattr(row, column) for key, column in _COLUMNS.items()},
    }
    for key, value in expected.items():
        if data.get(key) != value:
            return f"내용의 {key} 값({data.get(key)})이 기록의 값({value})과 다릅니다"
    return None


def verify_chain(chain: RecordChain) -> Break | None:
    """Walk the chain in order; the first broken link, or None when it is intact."""

    def broken(seq: int, record_id: int | None, problem: str) -> Break:
        return Break(chain.pk, chain.label, chain.year, seq, record_id, problem)

    rows = (
        TrainingRecord.objects.filter(chain=chain)
        .order_by("seq")
        .only(
            "id",
            "seq",
            "kind",
            "subject",
            "learner_id",
            "course_id",
            "payload",
            "prev_hash",
            "hash",
        )  # fmt: skip
    )
    expected_seq, prev_hash = 1, GENESIS_HASH
    for row in rows.iterator(chunk_size=2000):
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                return broken(
                    expected_seq,
                    None,
                    f"순번 {expected_seq}의 기록이 없습니다 (삭제됨; 다음 기록은 "
                    f"#{row.pk}, 순번 {row.seq})",
                )
            return broken(row.seq, row.pk, f"순번이 {expected_seq}이어야 합니다")
        problem = _row_problem(row, chain, prev_hash)
        if problem:
            return broken(row.seq, row.pk, problem)
        expected_seq, prev_hash = expected_seq + 1, row.hash
    last_seq = expected_seq - 1
    if chain.head_seq > last_seq:
        return broken(
            last_seq + 1, None, f"순번 {last_seq + 1}부터의 기록이 없습니다 (삭제됨)"
        )
    if chain.head_seq != last_seq or chain.head_hash != prev_hash:
        return broken(
            last_seq,
            None,
            f"체인 머리(순번 {chain.head_seq}, {chain.head_hash[:16]}…)가 마지막 "
            f"기록(순번 {last_seq}, {prev_hash[:16]}…)과 다릅니다",
        )
    return None


def chains(
    *, organization_id: int | None = None, year: int | None = None, personal=False
):
    found = RecordChain.objects.all().order_by("year", "scope")
    if organization_id is not None:
        found = found.filter(organization_id=organization_id)
    elif personal:
        found = found.filter(kind=RecordChain.Kind.PERSONAL)
    if year is not None:
        found = found.filter(year=year)
    return found


def verify(
    *, organization_id: int | None = None, year: int | None = None, personal=False
) -> Iterator[tuple[RecordChain, Break | None]]:
    for chain in chains(organization_id=organization_id, year=year, personal=personal):
        yield chain, verify_chain(chain)


def first_break(**filters: Any) -> Break | None:
    return next((found for _chain, found in verify(**filters) if found), None)


# --- Retention --------------------------------------------------------------------------


def retention_years(kind: str) -> int:
    years = settings.RECORDS_RETENTION_YEARS
    return int(years.get(kind, years["default"]))


def chain_expires_on(chain: RecordChain) -> dt.date:
    """Kept for the kind's years after the end of the chain's year."""
    return dt.date(chain.year + 1 + retention_years(chain.kind), 1, 1)


def purge_expired_chains(*, now: dt.datetime | None = None) -> int:
    """Delete the chains whose retention has passed, with their records; each one audited."""
    today = timezone.localdate(now or timezone.now())
    deleted = 0
    for kind in RecordChain.Kind.values:
        last_expired_year = today.year - 1 - retention_years(kind)
        candidates = RecordChain.objects.filter(
            kind=kind, year__lte=last_expired_year
        ).order_by("pk")
        for chain_id in list(candidates.values_list("pk", flat=True)):
            with transaction.atomic():
                chain = RecordChain.objects.select_for_update().get(pk=chain_id)
                count = chain.records.count()
                audit.record(
                    actor=None,
                    action="records.chain.purge",
                    subject=chain,
                    summary=f"보존 기간 만료로 {chain} 체인과 기록 {count}건 삭제",
                    data={
                        "scope": chain.scope,
                        "year": chain.year,
                        "kind": chain.kind,
                        "records": count,
                        "head_seq": chain.head_seq,
                        "head_hash": chain.head_hash,
                        "retention_years": retention_years(kind),
                    },
                )
                chain.delete()
                deleted += 1
    return deleted
