"""Rows 17-19, against real processes: production refuses to start without its database;
`make run` (scripts/run.sh) serves with DEBUG off and no media folder, and survives a
SIGKILLed worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def _env(**extra: str) -> dict[str, str]:
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_row17_production_refuses_to_start_while_the_database_is_down(tmp_path):
    closed_port = _free_port()  # nothing listens there
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="s" * 30 + "-a-long-random-production-secret-for-tests",
        ALLOWED_HOSTS="academy.example.org",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port}/slacademy_down",
        VAR_DIR=str(tmp_path / "var"),
    )
    for entry in ("config.wsgi", "config.asgi"):
        start = subprocess.run(
            [PY, "-c", f"import {entry}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert start.returncode != 0, entry
        assert "The database cannot be reached" in start.stderr, start.stderr[-2000:]


@pytest.mark.slow
def test_row18_development_settings_have_debug_off_and_no_media_folder(tmp_path):
    probe = subprocess.run(
        [
            PY,
            "-c",
            "import django; django.setup();"
            "from django.conf import settings; from django.urls import resolve;"
            "print(settings.DEBUG);"
            "from django.urls import Resolver404\n"
            "try: print(resolve('/media/documents/guide.pdf').func.__module__)\n"
            "except Resolver404: print('no-route')",
        ],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="config.settings.dev", VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    debug, media_view = probe.stdout.split()
    assert debug == "False"
    assert media_view != "django.views.static"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError:  # not listening yet
        return 0, ""


def _wait(predicate, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _children(pid: int, needle: str) -> list[int]:
    """The group leaders among `pid`'s descendants whose command line holds `needle`
    (run.sh starts each part with setsid; the worker's pool processes share its line)."""
    found = []
    for process in psutil.Process(pid).children(recursive=True):
        try:
            if (
                needle in " ".join(process.cmdline())
                and os.getpgid(process.pid) == process.pid
            ):
                found.append(process.pid)
        except (psutil.NoSuchProcess, ProcessLookupError):
            continue
    return found


@pytest.mark.slow
def test_row18_19_make_run_serves_without_debug_and_survives_a_killed_worker(tmp_path):
    var = tmp_path / "var"
    port = _free_port()
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        VAR_DIR=str(var),
        PORT=str(port),
        PY=PY,
    )
    migrate = subprocess.run(
        [PY, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    (var / "media" / "documents").mkdir(parents=True, exist_ok=True)
    (var / "media" / "documents" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    run = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(
            lambda: _get(f"{base}/api/v1/health")[0] in (200, 503),
            seconds=120,
            what="the web server",
        )
        # Row 18: no media folder, no debug page.
        assert _get(f"{base}/media/documents/secret.pdf")[0] == 404
        status, body = _get(f"{base}/no-such-page-{port}/")
        assert status == 404
        assert "URLconf" not in body and "DEBUG = True" not in body
        # Row 19: SIGKILL the worker's whole process group; run.sh starts a new one.
        worker = _wait(
            lambda: _children(run.pid, "celery -A config worker"),
            seconds=120,
            what="the worker",
        )[0]
        os.killpg(worker, signal.SIGKILL)
        replaced = _wait(
            lambda: [
                p for p in _children(run.pid, "celery -A config worker") if p != worker
            ],
            seconds=60,
            what="a new worker",
        )
        assert replaced and run.poll() is None
        assert _get(f"{base}/api/v1/health")[0] in (200, 503)
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        try:
            output, _ = run.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            output, _ = run.communicate()
    assert "다시 시작합니다" in output, output[-3000:]
