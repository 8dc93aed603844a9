"""What every benchmark shares: a fresh PostgreSQL database, Django set-up, the report line.

Each benchmark prints its figure, a baseline measured in the same run, the ratio, the
target and PASS/MISS, then one `BENCH_JSON {...}` line per figure, which
`benchmarks/run_all.py` collects into RESULTS.md.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/slacademy_bench"


def database_url(suffix: str) -> str:
    """DATABASE_URL (PostgreSQL) with `_<suffix>` appended to its database name.

    The benchmark owns that database: it is dropped and created again on each run.
    """
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "DATABASE_URL", DEFAULT_DATABASE_URL
    )
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(
            f"benchmarks need PostgreSQL; DATABASE_URL is {parts.scheme}://..."
        )
    name = (parts.path.lstrip("/") or "slacademy_bench") + f"_{suffix}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True
    ), parts.path.lstrip("/")


def database_recreate(url: str) -> None:
    conn, name = _admin_connection(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(url: str) -> None:
    conn, name = _admin_connection(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(url: str, *, settings: str = "config.settings.bench", **env) -> float:
    """Point Django at a fresh database `url`, migrate it; returns the seconds it took."""
    started = time.perf_counter()
    database_recreate(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    for key, value in env.items():
        os.environ[key] = str(value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def median_ms(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def report(
    name: str,
    *,
    value: float,
    unit: str,
    baseline: float | None,
    target: str,
    met: bool,
    ratio: float | None = None,
    notes: str = "",
    no_ratio: bool = False,
) -> dict:
    """Print one figure for people and one BENCH_JSON line for the runner."""
    if ratio is None and baseline and not no_ratio:
        ratio = value / baseline
    record = {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 3),
        "ratio": None if ratio is None else round(ratio, 3),
        "target": target,
        "met": bool(met),
        "notes": notes,
    }
    verdict = "PASS" if met else "MISS"
    base = "" if baseline is None else f"  baseline {baseline:.3f}"
    rat = "" if ratio is None else f"  ratio {ratio:.3f}"
    print(f"{name}: {value:.3f} {unit}{base}{rat}  target {target}  {verdict}")
    if notes:
        print(f"  {notes}")
    print("BENCH_JSON " + json.dumps(record, ensure_ascii=False), flush=True)
    return record


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    *,
    port: int,
    env: dict,
    workers: int = 2,
    worker_class: str = "gthread",
    threads: int = 4,
    timeout: int = 120,
):
    """gunicorn serving config.wsgi on loopback; returns once it answers."""
    import subprocess
    import urllib.request

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "4096",
        "--timeout",
        str(timeout),
        # Longer than the pause of a paced viewer: with gunicorn's 2 s default the
        # server closes idle connections just as clients reuse them (resets that are
        # not the application's failures). A proxy in front keeps them open too.
        "--keep-alive",
        "75",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v1/courses?limit=1", timeout=2
            ) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")
