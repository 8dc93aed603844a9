"""The product running as `make run` serves it, for tests that talk to it over HTTP.

    with running_product(tmp_path) as product:
        product.base      # "http://127.0.0.1:<port>"
        product.process   # the `make run` process, leader of its process group

It runs on the embedded default (SQLite in its own folder, local files, a local Celery
worker and beat), whatever services the suite itself was given, and is stopped with every
process it started when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # The embedded default, whatever services the suite itself was given.
        if not k.startswith(("DATABASE_URL", "CELERY_", "REDIS_URL", "AWS_", "DJANGO_"))
        and k not in {"PUBLIC_URL", "SITE_URL", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        PORT=str(port), VAR_DIR=str(tmp_path / "var"), LEARNING_DEMO_CLIP_SECONDS="3"
    )
    return env


def wait_until_served(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run ended early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    pytest.fail(f"make run served nothing in 10 minutes:\n{log.read_text()[-3000:]}")


@dataclass(frozen=True)
class Product:
    base: str
    process: subprocess.Popen
    log: Path


@contextlib.contextmanager
def running_product(tmp_path: Path) -> Iterator[Product]:
    """`make run` on a free port until the block ends; then TERM to its process group
    (and KILL, failing, if it has not ended within a minute)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=embedded_env(tmp_path, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_until_served(base, make, log)
        yield Product(base=base, process=make, log=log)
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            raise
