"""Real Celery worker processes for tests: the one place a test starts a worker.

    worker = CeleryWorker(queue="q", env={"DATABASE_URL": ...}).start()
    ...
    worker.kill()   # SIGKILL to its whole process group: no ack, no requeue, no cleanup
    worker.stop()   # TERM (a warm shutdown), then KILL after `timeout`

The `celery_worker` fixture of tests/conftest.py starts any number and stops them all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The URL of the PostgreSQL test database, for a worker that must share it."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class CeleryWorker:
    def __init__(
        self,
        *,
        queue: str | None = None,
        pool: str = "solo",
        concurrency: int = 1,
        env: dict[str, str] | None = None,
        include: tuple[str, ...] = (),
        quiet: bool = True,
        log: Path | None = None,
        loglevel: str = "WARNING",
    ) -> None:
        self.queue = queue
        self.pool = pool
        self.concurrency = concurrency
        self.env = env or {}
        self.include = include
        self.quiet = quiet
        self.log = log
        self.loglevel = loglevel
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> CeleryWorker:
        name = f"{self.queue or 'test'}-{os.getpid()}-{time.monotonic_ns()}@%h"
        args = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            f"--pool={self.pool}", "--without-mingle", "--without-gossip",
            f"--loglevel={self.loglevel}", "-n", name,
        ]  # fmt: skip
        if self.pool == "prefork":
            args.append(f"--concurrency={self.concurrency}")
        if self.queue:
            args += ["-Q", self.queue]
        for module in self.include:
            args += ["-I", module]
        output = subprocess.DEVNULL if self.quiet else None
        if self.log is not None:
            output = self.log.open("ab")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                **self.env,
            },
            stdout=output,
            stderr=subprocess.STDOUT if self.log is not None else output,
            start_new_session=True,  # its own group, so kill() takes the pool too
        )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self, *, timeout: float = 30) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
