"""Celery settings that keep tasks from being lost or run twice by accident."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from config.celery import app
from core.tasks import enqueue_on_commit

ROOT = Path(__file__).resolve().parents[2]


def test_tasks_are_acknowledged_late_and_requeued_when_the_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_every_task_has_a_time_limit_below_its_soft_limit_order():
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def _settings_with_broker(url: str) -> dict:
    code = (
        "import json, django; django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps({'limit': s.CELERY_TASK_TIME_LIMIT,"
        " 'options': s.CELERY_BROKER_TRANSPORT_OPTIONS}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": url,
    }
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_redis_visibility_timeout_outlasts_the_longest_task():
    # Redis redelivers a message whose worker has not acknowledged it within the
    # visibility timeout: a task still running would then run twice.
    values = _settings_with_broker("redis://127.0.0.1:6379/9")
    assert values["options"]["visibility_timeout"] > values["limit"]


@pytest.mark.django_db
def test_enqueue_on_commit_sends_after_commit_and_never_after_rollback(
    django_capture_on_commit_callbacks,
):
    sent = []

    class RecordingTask:
        # Stands in for the broker only: what we check is when the send happens.
        def apply_async(self, args=(), kwargs=None, **options):
            sent.append((args, kwargs, options))

    task = RecordingTask()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(task, 7, options={"queue": "video"})
        assert sent == []
    assert len(callbacks) == 1
    assert sent == [((7,), {}, {"queue": "video"})]

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(task, 8)
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert sent == []


def test_no_task_is_sent_straight_from_a_transaction_in_our_code():
    """Sending is done by enqueue_on_commit / delay_on_commit, not by delay() in services."""
    offenders = []
    for package in ("lms", "media_pipeline", "cms"):
        for path in (ROOT / package).rglob("services*.py"):
            text = path.read_text(encoding="utf-8")
            if ".delay(" in text or ".apply_async(" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"use config.celery.enqueue_on_commit in {offenders}"
