"""Heartbeat throughput of this checkout against an earlier revision, in one run.

    .venv/bin/python benchmarks/heartbeat_revisions.py [--against 53a3fc9] [--pairs 3]
        [--viewers 200] [--seconds 15]

The earlier revision is checked out into a temporary git worktree and uses this
checkout's virtualenv. Each pair runs `benchmarks/heartbeats.py --rounds 1` once in each
tree, the order alternating from pair to pair so that neither side always runs on a
warmer (or busier) machine. Each run measures its own no-op baseline (`GET
/api/v1/auth/me`) on the same server, so the figure compared is beats per second over
that baseline. The figure of each tree is its best beats/s over its best no-op req/s (as
heartbeats.py takes them within a run), and the ratio printed is this checkout's figure
over the earlier revision's.
The target is the redesign issue's: within 5 % (ratio >= 0.95).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

ROOT = _common.ROOT


def run_heartbeats(tree: Path, *, viewers: int, seconds: int) -> dict:
    """One heartbeats.py run in `tree`; its BENCH_JSON figures by name."""
    command = [
        sys.executable,
        "benchmarks/heartbeats.py",
        "--rounds",
        "1",
        "--viewers",
        str(viewers),
        "--seconds",
        str(seconds),
    ]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:])
        raise SystemExit(f"heartbeats.py failed in {tree}")
    figures = {}
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            record = json.loads(line.removeprefix("BENCH_JSON "))
            figures[record["name"]] = record
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="53a3fc9", help="the earlier revision")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="heartbeat-rev-")) / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(base), args.against],
        cwd=ROOT,
        check=True,
    )
    (base / ".venv").symlink_to(ROOT / ".venv")
    trees = {"this checkout": ROOT, args.against: base}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    try:
        for pair in range(args.pairs):
            order = list(trees) if pair % 2 == 0 else list(reversed(trees))
            for name in order:
                figures = run_heartbeats(
                    trees[name], viewers=args.viewers, seconds=args.seconds
                )
                throughput = figures["heartbeat throughput"]
                runs[name].append(throughput)
                print(
                    f"pair {pair + 1} {name:14s} beats {throughput['value']:7.1f}/s"
                    f"  no-op {throughput['baseline']:7.1f}/s"
                    f"  ratio {throughput['ratio']:.3f}",
                    flush=True,
                )
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False
        )

    # As heartbeats.py does within one run: the best beats/s over the best no-op req/s,
    # each taken on its own, because one no-op run on this shared host can be slow by
    # a quarter and would flatter that run's beats.
    figure = {
        name: max(r["value"] for r in runs[name])
        / max(r["baseline"] for r in runs[name])
        for name in runs
    }
    mean_beats = {
        name: statistics.mean(r["value"] for r in runs[name]) for name in runs
    }
    this, earlier = "this checkout", args.against
    print(
        f"beats/s mean: {this} {mean_beats[this]:.1f}, {earlier} {mean_beats[earlier]:.1f}"
        f" (ratio {mean_beats[this] / mean_beats[earlier]:.3f})"
    )
    _common.report(
        f"heartbeat throughput against {earlier}",
        value=figure[this],
        unit="best beats/s over best no-op req/s",
        baseline=figure[earlier],
        target=">= 0.95 of the earlier revision (within 5 %)",
        met=figure[this] >= 0.95 * figure[earlier],
        notes=(
            f"{args.pairs} alternating runs each, {args.viewers} viewers,"
            f" {args.seconds} s per run"
        ),
    )


if __name__ == "__main__":
    main()
