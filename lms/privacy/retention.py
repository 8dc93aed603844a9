"""Retention periods per kind of record, and the purge that destroys expired records.

Apps register their models once (in their AppConfig.ready):

    from lms.privacy import retention
    retention.register(Enrollment, days=3 * 365, field="completed_at")
    retention.register(AttendanceSheet, days=365, field="created_at",
                       storage_fields=["scan"])

`purge_expired` (run daily by the Celery task privacy.purge_expired) deletes the rows
whose `field` is older than `days`, and the files their `storage_fields` point to.

Records whose expiry is not one date column (a whole hash chain of training records,
kept a number of years after its year) register a purger instead:

    retention.register_purger("records.RecordChain", purge_expired_chains, reason=...)

`purge(now=...)` deletes what has expired and returns how many; it logs what it removed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)
BATCH_SIZE = 500


@dataclass(frozen=True)
class RetentionRule:
    model: type[models.Model]
    days: int
    field: str
    storage_fields: tuple[str, ...] = ()
    # Narrows the rows the rule applies to, e.g. only withdrawn consents.
    scope: Callable[[QuerySet], QuerySet] | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label

    def expired(self, now: datetime) -> QuerySet:
        queryset = self.model._default_manager.filter(
            **{f"{self.field}__lt": now - timedelta(days=self.days)}
        )
        return self.scope(queryset) if self.scope else queryset


_rules: dict[str, RetentionRule] = {}


def register(
    model: type[models.Model],
    *,
    days: int,
    field: str,
    storage_fields: list[str] | tuple[str, ...] = (),
    scope: Callable[[QuerySet], QuerySet] | None = None,
    reason: str = "",
) -> RetentionRule:
    """Keep rows of `model` for `days` after their `field`; registering again replaces."""
    if days < 1:
        raise ValueError("a retention period is at least one day")
    model._meta.get_field(field)
    for name in storage_fields:
        model._meta.get_field(name)
    rule = RetentionRule(model, days, field, tuple(storage_fields), scope, reason)
    _rules[rule.label] = rule
    return rule


@dataclass(frozen=True)
class RetentionPurger:
    label: str
    purge: Callable[..., int]
    reason: str = ""


_purgers: dict[str, RetentionPurger] = {}


def register_purger(
    label: str, purge: Callable[..., int], *, reason: str = ""
) -> RetentionPurger:
    """Run `purge(now=...)` with the rules; registering the label again replaces."""
    purger = RetentionPurger(label, purge, reason)
    _purgers[label] = purger
    return purger


def purgers() -> list[RetentionPurger]:
    return sorted(_purgers.values(), key=lambda purger: purger.label)


def rules() -> list[RetentionRule]:
    return sorted(_rules.values(), key=lambda rule: rule.label)


def _delete_files(rows: list[models.Model], storage_fields: tuple[str, ...]) -> None:
    for row in rows:
        for name in storage_fields:
            stored = getattr(row, name)
            if stored and stored.name:
                # The file goes only after its row is gone for good (on commit).
                storage, file_name = stored.storage, stored.name
                transaction.on_commit(
                    lambda s=storage, n=file_name: s.delete(n) if s.exists(n) else None
                )


def purge_rule(rule: RetentionRule, *, now: datetime | None = None) -> int:
    """Delete the expired rows of one rule, in batches; returns how many went."""
    now = now or timezone.now()
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                rule.expired(now).order_by("pk").select_for_update()[:BATCH_SIZE]
            )
            if not batch:
                break
            _delete_files(batch, rule.storage_fields)
            rule.model._default_manager.filter(
                pk__in=[row.pk for row in batch]
            ).delete()
            deleted += len(batch)
    return deleted


def purge_expired(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every registered rule; one rule's failure does not stop the others."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for rule in rules():
        try:
            counts[rule.label] = purge_rule(rule, now=now)
        except Exception:  # noqa: BLE001 - logged; the next day's run tries again
            logger.exception("retention purge of %s failed", rule.label)
            counts[rule.label] = -1
    for purger in purgers():
        try:
            counts[purger.label] = purger.purge(now=now)
        except Exception:  # noqa: BLE001 - logged; the next day's run tries again
            logger.exception("retention purge of %s failed", purger.label)
            counts[purger.label] = -1
    logger.info("retention purge: %s", counts)
    return counts
