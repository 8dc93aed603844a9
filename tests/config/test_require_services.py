"""REQUIRE_SERVICES=1 turns a missing service into a failure, never a silent skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "AWS_S3_ENDPOINT_URL",
    "AWS_STORAGE_BUCKET_NAME",
)


def _run_service_tests(
    target: str = "tests/test_real_services.py", **extra: str
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env.pop("REQUIRE_SERVICES", None)
    env.pop("CHROMIUM_PATH", None)
    env.update(extra)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            target,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_missing_services_fail_under_require_services():
    run = _run_service_tests(REQUIRE_SERVICES="1")

    assert run.returncode == 1, run.stdout
    assert "4 failed" in run.stdout
    assert "REQUIRE_SERVICES=1 but DATABASE_URL is not set" in run.stdout


@pytest.mark.slow
def test_missing_services_skip_without_require_services():
    run = _run_service_tests()

    assert run.returncode == 0, run.stdout
    assert "4 skipped" in run.stdout


# A machine without Chromium: nothing but the virtualenv's own programs on PATH.
NO_CHROMIUM = {"PATH": str(Path(sys.executable).parent)}


@pytest.mark.slow
def test_without_chromium_browser_tests_skip_with_one_reason():
    run = _run_service_tests("tests/browser/test_home.py", **NO_CHROMIUM)

    assert run.returncode == 0, run.stdout
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    reasons = {line.split(": ", 1)[1] for line in skipped}
    assert reasons == {"Chromium not found: apt-get install chromium"}, run.stdout
    assert f"{len(skipped)} skipped" in run.stdout and " passed" not in run.stdout


@pytest.mark.slow
def test_without_chromium_browser_tests_fail_under_require_services():
    run = _run_service_tests(
        "tests/browser/test_home.py", REQUIRE_SERVICES="1", **NO_CHROMIUM
    )

    # The fixture fails, so pytest counts each browser test as an error, not a skip.
    assert run.returncode == 1, run.stdout
    assert " error" in run.stdout and " skipped" not in run.stdout
    assert "Chromium not found: apt-get install chromium" in run.stdout
