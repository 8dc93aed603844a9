"""Production settings: Django's deploy checks pass, and demo passwords stop the server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "p" * 20 + "-a-long-random-production-secret-for-tests-only"


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _production_env(tmp_path: Path) -> dict[str, str]:
    # The browser tests' conftest allows sync ORM calls under Playwright's loop in this
    # process; a production server must never run with that switch.
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="academy.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
    )
    return env


@pytest.mark.slow
def test_deploy_checks_pass_with_production_settings(tmp_path):
    run = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path)
    )

    assert run.returncode == 0, run.stdout + run.stderr


def test_production_refuses_a_short_or_development_secret(tmp_path):
    env = {**_production_env(tmp_path), "SECRET_KEY": "dev-only-insecure-key-change-me"}

    run = _manage("check", env=env)

    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


@pytest.mark.slow
def test_production_server_refuses_to_start_while_demo_passwords_remain(tmp_path):
    env = _production_env(tmp_path)
    # The accounts alone: the guard looks only at passwords, and the full demo (courses,
    # videos, reports) would add two minutes without testing anything more here.
    seed_accounts = (
        "from lms.demo.services import seed_demo_accounts; seed_demo_accounts()"
    )
    for command in (["migrate", "--noinput"], ["shell", "-c", seed_accounts]):
        prepared = _manage(*command, env=env)
        assert prepared.returncode == 0, prepared.stderr

    start = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert start.returncode != 0
    assert "Demo accounts still use the published demo password" in start.stderr
    assert "learner" in start.stderr

    changed = _manage(
        "shell",
        "-c",
        "from lms.accounts.models import User\n"
        "for u in User.objects.all():\n"
        "    u.set_password('x-' + u.username + '-rotated-9f2'); u.save()",
        env=env,
    )
    assert changed.returncode == 0, changed.stderr
    restarted = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restarted.returncode == 0, restarted.stderr
