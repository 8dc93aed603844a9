"""PostgreSQL restarted under heartbeat load loses no acknowledged beat.

The test starts its own throwaway PostgreSQL cluster (initdb/pg_ctl) and a real web
server on it, so the restart disturbs nobody. Several learners' players send
POST /api/v1/lessons/{id}/heartbeats while the database is stopped and started again:
every beat answered 2xx must be in the stored LessonProgress (its range covered, its
HeartbeatReceipt there), every beat refused meanwhile gets a prompt 503 problem+json,
and beats succeed again once the database is back.
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
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES
from tests.reliability.conftest import ROOT, free_port, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.services]
PASSWORD = "restart-test-passphrase-41"
LEARNERS = 4
# A lesson long enough that no beat of the test is clipped; each beat plays one second
# of its own, so the stored ranges show exactly which beats were counted.
LESSON_SECONDS = 100_000.0
SETUP = f"""
from lms.accounts.services import user_create
from lms.learning.models import Enrollment
from tests.factories.learning import course_page
course = course_page(lessons=1, duration={LESSON_SECONDS}, title="재시작 시험")
for n in range({LEARNERS}):
    user = user_create(username=f"player{{n}}", email=f"p{{n}}@example.org",
                       password="{PASSWORD}")
    Enrollment.objects.create(user=user, course=course)
"""
STORED = """
import json
from lms.learning.models import HeartbeatReceipt, LessonProgress
out = {}
for progress in LessonProgress.objects.select_related("user"):
    receipts = HeartbeatReceipt.objects.filter(session__progress=progress)
    out[progress.user.username] = {
        "ranges": progress.ranges,
        "watched": progress.watched_seconds,
        "credited": progress.credited_seconds,
        "seqs": sorted(receipts.values_list("seq", flat=True)),
    }
print(json.dumps(out))
"""


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

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def start(self) -> None:
        self._ctl("start")

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
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
        capture_output=True, timeout=120,
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
    yield Server(base=base, run=lambda code: _shell(manage, env, code))
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


@dataclass
class Server:
    base: str
    run: object


def _shell(manage: list[str], env: dict, code: str) -> str:
    done = subprocess.run(
        [*manage, "shell", "-c", code], cwd=ROOT, env=env, check=True,
        capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    # Django's shell may print a line about its automatic imports first.
    return done.stdout.strip().splitlines()[-1]


def _post_json(url: str, body: dict, headers: dict | None = None):
    """(status, content type, parsed body, seconds taken); status 0 when no answer."""
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            status, kind, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, kind, raw = error.code, error.headers, error.read()
    except OSError:
        return 0, "", None, time.monotonic() - started
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    return status, kind.get("Content-Type", ""), parsed, time.monotonic() - started


@dataclass
class Player:
    """One learner's player: a playback session sending one beat after another."""

    base: str
    username: str
    lesson_id: int
    origin: float  # where in the lesson this player plays, apart from the others
    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    token: str = ""
    seq: int = 0
    acknowledged: list = field(default_factory=list)  # (monotonic time, seq)
    refused: list = field(default_factory=list)  # (status, content type, body, seconds)

    def sign_in(self) -> None:
        status, _kind, body, _took = _post_json(
            f"{self.base}/api/v1/auth/token",
            {"username": self.username, "password": PASSWORD},
        )
        assert status == 200, (status, body)
        self.token = body["token"]

    def chunk(self, seq: int) -> tuple[float, float]:
        # Seconds 2n..2n+1 of this player's stretch: chunks never touch, so a stored
        # range covering a chunk means that very beat was counted.
        return (self.origin + 2 * seq, self.origin + 2 * seq + 1)

    def beat(self) -> None:
        start, end = self.chunk(self.seq)
        status, kind, body, took = _post_json(
            f"{self.base}/api/v1/lessons/{self.lesson_id}/heartbeats",
            {
                "session_id": self.session_id,
                "seq": self.seq,
                "ranges": [[start, end]],
                "position": end,
                "playback_rate": 1.0,
            },
            {"Authorization": f"Bearer {self.token}"},
        )
        if 200 <= status < 300:
            self.acknowledged.append((time.monotonic(), self.seq))
        else:
            self.refused.append((status, kind, body, took))
        # A refused beat is not sent again: its seq stays unacknowledged, and
        # the next beat carries the next second of media.
        self.seq += 1


def test_postgres_restart_under_heartbeat_load_loses_no_acknowledged_beat(
    cluster, server
):
    lesson_id = int(
        server.run(
            "from cms.courses import LessonPage;print(LessonPage.objects.get().pk)"
        ).strip()
    )
    players = [
        Player(server.base, f"player{n}", lesson_id, origin=n * 20_000.0)
        for n in range(LEARNERS)
    ]
    for player in players:
        player.sign_in()
    stop = threading.Event()

    def play(player: Player) -> None:
        while not stop.is_set():
            player.beat()
            time.sleep(0.05)

    def acknowledged_since(moment: float) -> int:
        return sum(at > moment for p in players for at, _seq in p.acknowledged)

    threads = [threading.Thread(target=play, args=(p,)) for p in players]
    load_started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: acknowledged_since(0) >= 20, timeout=60, what="beats before")
        before = cluster.postmaster_pid()
        cluster.stop()
        down_at = time.monotonic()
        # Long enough that every player sends beats into the outage.
        wait_for(
            lambda: sum(len(p.refused) for p in players) >= LEARNERS,
            timeout=30,
            what="beats refused while the database is down",
        )
        # A page asked for meanwhile says "try again shortly" in Korean: 503, not 500.
        page_status, page_body = _get(f"{server.base}/courses/")
        cluster.start()
        up_at = time.monotonic()
        assert cluster.postmaster_pid() != before, "the server really restarted"
        wait_for(
            lambda: acknowledged_since(up_at) >= 20,
            timeout=60,
            what="beats acknowledged after the restart",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    load_seconds = time.monotonic() - load_started

    # Every refusal was prompt and clean: 503 problem+json, no hang, no HTML 500.
    refused = [r for p in players for r in p.refused]
    assert refused, "the outage was never hit"
    for status, kind, body, took in refused:
        assert status == 503, (status, body)
        assert kind == "application/problem+json"
        assert body["status"] == 503 and body["type"].endswith(":unavailable")
        assert took < 10, f"a refused beat took {took:.1f}s"
    assert acknowledged_since(down_at) >= 20
    assert page_status == 503, page_status
    assert "잠시 후 다시 시도해 주세요" in page_body.decode()
    assert _get(f"{server.base}/courses/")[0] == 200, "pages serve again after it"

    stored = json.loads(server.run(STORED))
    tolerance = 5.0  # LEARNING_HEARTBEAT_TOLERANCE_SECONDS or more
    for player in players:
        row = stored[player.username]
        ranges = [tuple(pair) for pair in row["ranges"]]
        acked = [seq for _at, seq in player.acknowledged]
        missing_receipts = set(acked) - set(row["seqs"])
        assert not missing_receipts, f"{player.username}: receipts lost"
        uncovered = [
            seq
            for seq in acked
            if not any(
                s <= player.chunk(seq)[0] and player.chunk(seq)[1] <= e
                for s, e in ranges
            )
        ]
        assert not uncovered, f"{player.username}: acknowledged ranges lost"
        # Nothing was counted that was never sent, and each second once.
        assert row["watched"] == pytest.approx(len(row["seqs"]))
        assert len(row["seqs"]) <= player.seq
        # The anti-cheat rule held through the outage: no more credit than real time.
        assert 0 < row["credited"] <= load_seconds + tolerance
