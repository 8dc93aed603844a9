"""Every periodic task of the beat schedule can run: it is registered, its time limits are
ones Celery accepts, and the real beat and a real worker run each of them without an error.

The stuck-asset sweeper once had time_limit=300 under the global soft limit of 3,300 s,
so Celery refused it on every run (issue 17, row 4) and nothing noticed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from config.celery import app
from tests.conftest import require_service
from tests.workers import ROOT, test_database_url


def _registered_tasks() -> dict:
    app.loader.import_default_modules()
    return app.tasks


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_each_scheduled_task_exists_with_limits_celery_accepts(entry):
    name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
    task = _registered_tasks().get(name)
    assert task is not None, f"{entry}: no task named {name}"
    hard = task.time_limit or app.conf.task_time_limit
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    if hard and soft:
        # Celery refuses a task whose soft limit is above its hard limit.
        assert soft <= hard, f"{name}: soft limit {soft} s above hard limit {hard} s"


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_real_beat_and_worker_run_every_periodic_task_once(tmp_path, celery_worker):
    require_service(
        "DATABASE_URL", "the beat test (the worker shares the test database)"
    )
    env = {
        "DATABASE_URL": test_database_url(),
        "CELERY_BEAT_EVERY_SECONDS": "3",
    }
    worker_log = tmp_path / "worker.log"
    # What earlier tests left in the broker (mail of rows long gone) is not this test's.
    app.control.purge()
    celery_worker(env=env, log=worker_log, loglevel="INFO", pool="prefork")
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            "-s",
            str(tmp_path / "celerybeat-schedule"),
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        stdout=(tmp_path / "beat.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    expected = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    succeeded: set[str] = set()
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and succeeded != expected:
            text = worker_log.read_text(errors="replace")
            succeeded = set(re.findall(r"Task ([\w.]+)\[[\w-]+\] succeeded", text))
            time.sleep(1)
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(timeout=30)

    text = worker_log.read_text(errors="replace")
    assert succeeded >= expected, (
        f"never succeeded: {sorted(expected - succeeded)}\n{text[-4000:]}"
    )
    assert "raised unexpected" not in text and "Traceback" not in text, text[-4000:]
