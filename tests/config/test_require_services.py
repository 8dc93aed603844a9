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


def _run_service_tests(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env.pop("REQUIRE_SERVICES", None)
    env.update(extra)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_real_services.py",
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
