"""Run every benchmark in this folder and write the table to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run_all.py [--quick] [--only heartbeats matching ...]

Each `benchmarks/<name>.py` (not starting with `_`) runs in its own process. Its
`BENCH_JSON {...}` lines become rows of the table; a benchmark that fails, times out or
prints no such line gets a row marked failed (or "no figure") with the tail of its output,
and the run goes on with the next one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Cheap ones first; the transcoding ones last, they take longest.
ORDER = [
    "matching",
    "uploads",
    "pages",
    "heartbeats",
    "reports",
    "transcode",
    "first_playable",
]


# Run by hand, not by `make bench`: it measures a second revision as well.
ON_REQUEST = {"run_all", "heartbeat_revisions"}


def discover() -> list[str]:
    names = [
        p.stem
        for p in HERE.glob("*.py")
        if not p.stem.startswith("_") and p.stem not in ON_REQUEST
    ]
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else 50, n))


def parse_records(output: str) -> list[dict]:
    records = []
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            try:
                records.append(json.loads(line.removeprefix("BENCH_JSON ")))
            except json.JSONDecodeError:
                continue
    return records


def _first(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (
        (out.stdout or out.stderr).strip().splitlines()[0]
        if out.returncode == 0
        else "unknown"
    )


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        cpu = found.group(1).strip() if found else platform.processor()
    except OSError:
        cpu = platform.processor() or "unknown"
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError):
        pass
    os_name = platform.platform()
    try:
        release = Path("/etc/os-release").read_text()
        found = re.search(r'^PRETTY_NAME="?([^"\n]+)', release, re.M)
        os_name = f"{found.group(1)} ({platform.release()})" if found else os_name
    except OSError:
        pass
    postgres = "unknown"
    try:
        import psycopg

        sys.path.insert(0, str(HERE))
        import _common

        url = _common.database_url("probe").rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(url, connect_timeout=5) as conn:
            postgres = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 - the description is best effort
        postgres = f"unreachable ({type(exc).__name__})"
    try:
        sys.path.insert(0, str(ROOT))
        from media_pipeline.ffmpeg import media_tools

        tools = media_tools()
        ffmpeg = f"{_first([tools.ffmpeg, '-version'])} ({tools.source})"
    except Exception as exc:  # noqa: BLE001 - the description is best effort
        ffmpeg = f"not found ({type(exc).__name__})"
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": os_name,
        "Python": platform.python_version(),
        "PostgreSQL": postgres,
        "ffmpeg": ffmpeg,
    }


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value).replace("|", "\\|").replace("\n", " ")


def render(results: list[dict], *, when: dt.datetime, description: dict) -> str:
    """RESULTS.md from the runs: [{benchmark, seconds, returncode, records, tail}]."""
    lines = [
        "# Benchmark results",
        "",
        f"Date: {when:%Y-%m-%d %H:%M} UTC. Written by `make bench`"
        " (benchmarks/run_all.py); figures from one run on the machine below.",
        "",
        "| Machine | |",
        "|---|---|",
        *(f"| {key} | {_cell(value)} |" for key, value in description.items()),
        "",
        "| Benchmark | Figure | Baseline | Ratio | Target | Met | Notes |",
        "|---|---|---|---|---|---|---|",
    ]
    tails = []
    for run in results:
        name = run["benchmark"]
        failed = run["returncode"] != 0
        for record in run["records"]:
            unit = record.get("unit", "")
            lines.append(
                "| {bench}: {name} | {value} {unit} | {baseline} | {ratio} | {target}"
                " | {met} | {notes} |".format(
                    bench=name,
                    name=_cell(record.get("name")),
                    value=_cell(record.get("value")),
                    unit=_cell(unit),
                    baseline=_cell(record.get("baseline")),
                    ratio=_cell(record.get("ratio")),
                    target=_cell(record.get("target")),
                    met="yes" if record.get("met") else "**no**",
                    notes=_cell(record.get("notes", "")),
                )
            )
        if failed or not run["records"]:
            state = f"**failed** (exit {run['returncode']})" if failed else "no figure"
            lines.append(
                f"| {name} | {state} | – | – | – | **no** |"
                f" output tail below ({run['seconds']:.0f} s) |"
            )
            tails.append((name, run["tail"]))
    for name, tail in tails:
        lines += ["", f"## {name}: last lines of output", "", "```", tail, "```"]
    return "\n".join(lines) + "\n"


def run_one(name: str, *, quick: bool, timeout: int) -> dict:
    script = HERE / f"{name}.py"
    command = [sys.executable, str(script)]
    if quick and '"--quick"' in script.read_text(encoding="utf-8"):
        command.append("--quick")
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    output, returncode = "", 0
    try:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + timeout
        for line in process.stdout:
            output += line
            print(f"   {line}", end="", flush=True)
            if time.monotonic() > deadline:
                process.kill()
                output += f"\n(killed after {timeout} s)\n"
                break
        returncode = process.wait()
    except OSError as exc:
        output, returncode = str(exc), 1
    return {
        "benchmark": name,
        "seconds": time.perf_counter() - started,
        "returncode": returncode,
        "records": parse_records(output),
        "tail": "\n".join(output.strip().splitlines()[-25:]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick on")
    parser.add_argument("--only", nargs="*", help="benchmark names (default: all)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds each")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()
    names = args.only or discover()
    when = dt.datetime.now(dt.UTC)
    results = [run_one(n, quick=args.quick, timeout=args.timeout) for n in names]
    text = render(results, when=when, description=machine())
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"\nwrote {args.output}")
    failed = [r["benchmark"] for r in results if r["returncode"] != 0]
    missed = [
        f"{r['benchmark']}: {rec['name']}"
        for r in results
        for rec in r["records"]
        if not rec.get("met")
    ]
    print(
        f"failed: {', '.join(failed) or 'none'}; missed: {'; '.join(missed) or 'none'}"
    )


if __name__ == "__main__":
    main()
