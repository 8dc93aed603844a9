"""Tasks run in a real worker process over the configured broker, embedded or not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.celery import app, ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    queue = f"test-{os.getpid()}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


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
