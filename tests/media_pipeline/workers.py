"""Real Celery workers (tests/workers.py) and a real beat for the video tests, sharing
the test database (PostgreSQL), the broker and the storage with the test, on a queue of
their own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from django.db import connection

from tests.conftest import require_service
from tests.workers import ROOT, CeleryWorker, test_database_url


def shared_database_url() -> str:
    require_service("DATABASE_URL", "worker processes sharing the test database")
    if connection.vendor != "postgresql":
        pytest.skip("the workers share the test database over PostgreSQL")
    return test_database_url()


class Celery:
    """Named workers on one queue, and beat; SIGKILL one worker whole."""

    def __init__(self, *, queue: str, env: dict[str, str], log_dir: Path) -> None:
        self.queue = queue
        self.env = {**env, "VIDEO_TASK_QUEUE": queue}
        self.log_dir = log_dir
        self.workers: dict[str, CeleryWorker] = {}
        self.beat_process: subprocess.Popen | None = None

    def worker(self, name: str) -> CeleryWorker:
        self.workers[name] = CeleryWorker(
            queue=self.queue,
            pool="prefork",
            env=self.env,
            log=self.log_dir / f"{name}.log",
            loglevel="INFO",
        ).start()
        return self.workers[name]

    def beat(self) -> None:
        self.beat_process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "-s",
                str(self.log_dir / "celerybeat-schedule"),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                **self.env,
            },
            stdout=(self.log_dir / "beat.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def pids(self, name: str) -> set[int]:
        """The worker's main process and its pool processes (and their ffmpeg)."""
        main = psutil.Process(self.workers[name].pid)
        return {main.pid, *(p.pid for p in main.children(recursive=True))}

    def kill(self, name: str) -> None:
        """SIGKILL the whole worker: main process, pool, ffmpeg."""
        self.workers[name].kill()

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for worker in self.workers.values():
            worker.stop(timeout=20)
        if self.beat_process is not None and self.beat_process.poll() is None:
            os.killpg(self.beat_process.pid, signal.SIGTERM)
            try:
                self.beat_process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.beat_process.pid, signal.SIGKILL)
