"""Tasks run in a real worker process over the configured broker, embedded or not."""

from __future__ import annotations

import os
import time

import pytest

from config.celery import app, ping
from tests.workers import CeleryWorker


@pytest.fixture(scope="module")
def worker():
    queue = f"test-{os.getpid()}"
    process = CeleryWorker(queue=queue).start()
    yield queue
    process.stop(timeout=20)


@pytest.mark.slow
def test_a_real_worker_process_runs_the_task(worker):
    assert app.conf.task_always_eager is False
    result = ping.apply_async(queue=worker)

    assert result.get(timeout=60) == "pong"
    assert result.successful()


@pytest.mark.slow
def test_worker_answers_many_tasks_in_order_of_sending(worker):
    started = time.monotonic()
    results = [ping.apply_async(queue=worker) for _ in range(5)]

    assert [r.get(timeout=60) for r in results] == ["pong"] * 5
    assert time.monotonic() - started < 60
