"""How services hand work to Celery: only once their transaction has committed."""

from __future__ import annotations

from django.db import transaction


def enqueue_on_commit(
    task,
    *args: object,
    using: str | None = None,
    robust: bool = True,
    **kwargs: object,
):
    """Send `task` only once the current transaction commits (at once outside one).

    A task sent inside a transaction could run before its rows are visible to the
    worker, or for rows that a rollback then removes. Services call this instead of
    `delay`: `enqueue_on_commit(transcode_asset, asset.pk)`. Options for apply_async
    go in `options={...}`. With `robust` (the default) a broker outage after the commit
    is logged rather than raised: the rows are saved, and each periodic sweeper
    (stuck videos, missing certificates) sends the task again.
    """
    options = kwargs.pop("options", None) or {}
    transaction.on_commit(
        lambda: task.apply_async(args=args, kwargs=kwargs, **options),
        using=using,
        robust=robust,
    )
