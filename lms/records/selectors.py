"""What the evidence pack and the admin read from the chains."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lms.records.models import RecordChain, TrainingRecord
from lms.records.services import Break, verify_chain


@dataclass
class ChainState:
    chain: RecordChain
    broken: Break | None

    @property
    def status(self) -> str:
        return "이상 없음" if self.broken is None else f"끊어짐: {self.broken}"


@dataclass
class Evidence:
    chains: list[ChainState] = field(default_factory=list)
    records: list[TrainingRecord] = field(default_factory=list)

    def records_of(self, learner_id: int) -> list[TrainingRecord]:
        return [r for r in self.records if r.learner_id == learner_id]


def payload_of(record: TrainingRecord) -> dict[str, Any]:
    return json.loads(record.payload)


def policy_of(record: TrainingRecord) -> str:
    return payload_of(record).get("policy") or ""


def organization_evidence(
    *, organization_id: int, course_id: int, learner_ids: list[int], year: int
) -> Evidence:
    """The organization's records of one course for these learners, and every chain
    they are in (with the chain of the training year), each verified now."""
    records = list(
        TrainingRecord.objects.filter(
            chain__organization_id=organization_id,
            course_id=course_id,
            learner_id__in=learner_ids,
        )
        .select_related("chain")
        .order_by("chain__year", "seq")
    )
    chain_ids = {r.chain_id for r in records}
    chains = RecordChain.objects.filter(organization_id=organization_id).filter(
        pk__in=chain_ids
    ) | RecordChain.objects.filter(organization_id=organization_id, year=year)
    states = [ChainState(c, verify_chain(c)) for c in chains.order_by("year")]
    return Evidence(chains=states, records=records)
