"""The benchmark runner turns BENCH_JSON lines into RESULTS.md and marks failed runs."""

import datetime as dt
import importlib.util
from pathlib import Path

RUN_ALL = Path(__file__).resolve().parents[2] / "benchmarks" / "run_all.py"


def _run_all():
    spec = importlib.util.spec_from_file_location("bench_run_all", RUN_ALL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_records_are_parsed_and_rendered_with_failures_marked():
    run_all = _run_all()
    output = "\n".join(
        [
            "set-up: 3 s",
            'BENCH_JSON {"name": "matching", "value": 42.5, "unit": "ms",'
            ' "baseline": 10.0, "ratio": 4.25, "target": "<= 100 ms", "met": true,'
            ' "notes": "a|b"}',
            'BENCH_JSON {"name": "p95", "value": 150, "unit": "ms", "baseline": null,'
            ' "ratio": null, "target": "<= 100 ms", "met": false, "notes": ""}',
            "BENCH_JSON {not json",
        ]
    )
    records = run_all.parse_records(output)
    assert [r["name"] for r in records] == ["matching", "p95"]

    text = run_all.render(
        [
            {
                "benchmark": "matching",
                "seconds": 5.0,
                "returncode": 0,
                "records": records,
                "tail": "",
            },
            {
                "benchmark": "uploads",
                "seconds": 2.0,
                "returncode": 3,
                "records": [],
                "tail": "Traceback: disk full",
            },
            {
                "benchmark": "transcode",
                "seconds": 9.0,
                "returncode": 0,
                "records": [],
                "tail": "a/b = 1.02",
            },
        ],
        when=dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC),
        description={"CPU": "Test CPU", "Cores": "2"},
    )
    assert "Date: 2026-11-23 03:00 UTC" in text
    assert "| CPU | Test CPU |" in text
    assert (
        "| matching: matching | 42.5 ms | 10 | 4.25 | <= 100 ms | yes | a\\|b |" in text
    )
    assert "| matching: p95 | 150 ms | – | – | <= 100 ms | **no** |" in text
    assert "| uploads | **failed** (exit 3) |" in text
    assert "| transcode | no figure |" in text
    assert "Traceback: disk full" in text
    assert "a/b = 1.02" in text


def test_discovery_skips_helpers_and_the_runner():
    names = _run_all().discover()
    assert "heartbeats" in names and "matching" in names
    assert not any(n.startswith("_") or n == "run_all" for n in names)
