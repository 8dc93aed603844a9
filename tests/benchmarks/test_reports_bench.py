"""benchmarks/reports.py --quick runs end to end on PostgreSQL and prints its figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.services
def test_the_reports_benchmark_prints_its_figure_quickly():
    url = require_service("DATABASE_URL", "the reports benchmark")
    if not url.startswith("postgres"):
        pytest.skip("the reports benchmark needs PostgreSQL")
    # Its own database, named after the test database so parallel runs do not meet.
    env = {**os.environ, "BENCH_DATABASE_URL": url.rstrip("/") + "_benchtest"}

    result = subprocess.run(
        [sys.executable, "benchmarks/reports.py", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    records = [
        json.loads(line.removeprefix("BENCH_JSON "))
        for line in result.stdout.splitlines()
        if line.startswith("BENCH_JSON ")
    ]
    assert [r["name"] for r in records] == ["reports: yearly education report"]
    assert records[0]["unit"] == "ms" and records[0]["baseline"] is not None
    assert "250 sessions" in records[0]["notes"]
