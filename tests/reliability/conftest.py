"""Real services started by the tests themselves, on free loopback ports, so a fault test
can restart or kill them without disturbing anyone else's Redis, PostgreSQL or worker."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.conftest import REQUIRE_SERVICES
from tests.workers import CeleryWorker

ROOT = Path(__file__).resolve().parents[2]


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


def need_binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        message = f"fault tests need {name}"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return path


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A redis-server with an append-only file synced on every write (how production
    must run it for a queue: without persistence a restart loses every queued task)."""

    def __init__(self, folder: Path) -> None:
        self.binary = need_binary("redis-server")
        self.folder = folder
        self.port = free_port(6391)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--dir", str(self.folder),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.ping, timeout=20, what="redis-server to answer")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # redis flushes the AOF and exits
            self.process.wait(timeout=20)

    def restart(self) -> None:
        self.stop()
        assert not self.ping()
        self.start()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Worker(CeleryWorker):
    """A whole Celery worker (prefork: a parent and its child) on the test's own Redis,
    with the fault tasks loaded and a short visibility timeout."""

    def __init__(self, *, broker: str, queue: str, visibility_timeout: int) -> None:
        super().__init__(
            queue=queue,
            pool="prefork",
            include=("tests.reliability.fault_tasks",),
            env={
                "CELERY_BROKER_URL": broker,
                "CELERY_RESULT_BACKEND": broker,
                "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            },
        )
        self.broker = broker
        self.visibility_timeout = visibility_timeout


@pytest.fixture
def start_worker():
    workers: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = Worker(**kwargs)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def sender(broker: str, *, visibility_timeout: int = 3600) -> Celery:
    """A producer on the given broker with the project's publishing options."""
    app = Celery("fault-sender", broker=broker)
    # CELERY_BROKER_URL in the environment (CI's shared Redis) would win over `broker`;
    # the write and read URLs are taken first, so the tasks go to this test's own Redis.
    app.conf.broker_write_url = broker
    app.conf.broker_read_url = broker
    app.conf.broker_transport_options = {"visibility_timeout": visibility_timeout}
    app.conf.broker_connection_retry = True
    app.conf.task_publish_retry = True
    return app


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []
