"""PostgreSQL restarted under write load: no acknowledged write is lost.

The test starts its own throwaway PostgreSQL cluster (initdb/pg_ctl) and a real web
server on it, so the restart disturbs nobody. The write under load is pluggable:
`acknowledged_write` sends one write and returns what identifies it when the server
acknowledged it (2xx); `write_is_stored` checks it after the restart. Today the write is
POST /api/v1/auth/token (a new APIToken row); point the two functions at
POST /api/v1/lessons/{id}/heartbeats once online learning lands.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES
from tests.reliability.conftest import ROOT, free_port, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.services]
PASSWORD = "restart-test-passphrase-41"


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )
    if not found:
        if REQUIRE_SERVICES:
            pytest.fail(f"the PostgreSQL restart test needs {name}")
        pytest.skip(f"the PostgreSQL restart test needs {name}")
    return str(found)


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster belongs to the postgres user then.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Cluster:
    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.folder = Path(tempfile.mkdtemp(prefix="slacademy-pg-"))
        self.data = self.folder / "data"
        self.port = free_port(5491)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c fsync=on"
        )
        subprocess.run(
            _as_postgres(
                [self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"),
                 "-o", options, "-w", "-t", "60", *args]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip

    def create(self) -> None:
        subprocess.run(
            _as_postgres(
                [self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        self._ctl("start")

    def postmaster_pid(self) -> str:
        return (self.data / "postmaster.pid").read_text().split()[0]

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def destroy(self) -> None:
        try:
            self._ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster():
    cluster = Cluster()
    cluster.create()
    yield cluster
    cluster.destroy()


@pytest.fixture
def server(cluster, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": cluster.url,
        "VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
        capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [*manage, "shell", "-c",
         "from lms.accounts.services import user_create;"
         f"user_create(username='writer', email='w@example.org', password='{PASSWORD}')"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = free_port(0)
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _get(f"{base}/api/v1/openapi.json")[0] == 200, timeout=60,
             what="the web server")  # fmt: skip
    yield base
    process.terminate()
    process.wait(timeout=20)


def _get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def acknowledged_write(base: str) -> str | None:
    """One write; what identifies it when the server answered 2xx, else None."""
    body = json.dumps({"username": "writer", "password": PASSWORD}).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/auth/token",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if 200 <= response.status < 300:
                return json.loads(response.read())["token"]
    except (urllib.error.HTTPError, OSError, ValueError):
        return None
    return None


def write_is_stored(base: str, token: str) -> bool:
    status, _body = _get(f"{base}/api/v1/auth/me", {"Authorization": f"Bearer {token}"})
    return status == 200


def test_postgres_restart_under_load_loses_no_acknowledged_write(cluster, server):
    acknowledged: list[tuple[float, str]] = []
    failures = [0]
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            token = acknowledged_write(server)
            if token:
                acknowledged.append((time.monotonic(), token))
            else:
                failures[0] += 1
                time.sleep(0.05)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: len(acknowledged) >= 20, timeout=60, what="writes before")
        before = cluster.postmaster_pid()
        cluster.restart()
        restarted_at = time.monotonic()
        assert cluster.postmaster_pid() != before, "the server really restarted"
        wait_for(
            lambda: sum(at > restarted_at for at, _ in acknowledged) >= 20,
            timeout=60,
            what="writes acknowledged after the restart",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    lost = [token for _, token in acknowledged if not write_is_stored(server, token)]
    assert len(acknowledged) >= 40
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged writes lost"
