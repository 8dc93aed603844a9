"""The locust side of benchmarks/heartbeats.py (not a benchmark by itself).

Each simulated viewer is one learner with a bearer token. BENCH_MODE chooses what it
sends: `ping` (the no-op authenticated endpoint) or `beat` (playback heartbeats of
consecutive, non-overlapping 10 s ranges, so what the server must store is known).
At the end it writes the statistics and the acknowledged beats to BENCH_OUT.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid

import gevent
from locust import FastHttpUser, events, task

VIEWERS = json.loads(open(os.environ["BENCH_VIEWERS"], encoding="utf-8").read())
MODE = os.environ.get("BENCH_MODE", "beat")
OFFSET = float(os.environ.get("BENCH_RANGE_OFFSET", "0"))
PER_USER_RATE = float(os.environ.get("BENCH_PER_USER_RATE", "0"))
BEAT_SECONDS = 10.0

_numbers = itertools.count()
acked: dict[int, int] = {}
mismatched: list[str] = []


class Viewer(FastHttpUser):
    def wait_time(self) -> float:
        """No pause measures capacity; a fixed schedule per viewer measures latency.

        Each paced viewer beats on its own schedule, `1 / PER_USER_RATE` apart from the
        random phase it started at. locust's `constant_throughput` counts the phase
        sleep of `on_start` as time run and catches up on it, so every viewer's second
        beat came at the same instant: a burst of all 200 every period, whose queue was
        the "latency" (the server's own time stayed at a few ms).
        """
        if not PER_USER_RATE:
            return 0
        self.next_at += 1 / PER_USER_RATE
        return max(0.0, self.next_at - time.monotonic())

    def on_start(self):
        self.number = next(_numbers)
        viewer = VIEWERS[self.number]
        self.lesson_id = viewer["lesson_id"]
        self.headers = {"Authorization": f"Bearer {viewer['token']}"}
        self.session_id = str(uuid.uuid4())
        self.seq = 0
        acked.setdefault(self.number, 0)
        if PER_USER_RATE:
            # Viewers all start at once; without a random phase they would beat in
            # lockstep, a burst of every viewer at once instead of a steady load.
            gevent.sleep(random.uniform(0, 1 / PER_USER_RATE))  # noqa: S311
        self.next_at = time.monotonic()

    @task
    def send(self):
        if MODE == "ping":
            self.client.get("/api/v1/auth/me", headers=self.headers, name="ping")
            return
        start = OFFSET + self.seq * BEAT_SECONDS
        body = {
            "session_id": self.session_id,
            "seq": self.seq,
            "ranges": [[start, start + BEAT_SECONDS]],
            "position": start + BEAT_SECONDS,
            "playback_rate": 1.0,
        }
        self.seq += 1
        with self.client.post(
            f"/api/v1/lessons/{self.lesson_id}/heartbeats",
            json=body,
            headers=self.headers,
            name="heartbeat",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                acked[self.number] += 1
            else:
                response.failure(f"HTTP {response.status_code}")


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    total = environment.stats.total
    out = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.total_rps,
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "acked": acked,
        "errors": [
            f"{e.method} {e.name}: {e.error} x{e.occurrences}"
            for e in environment.stats.errors.values()
        ][:10],
    }
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as fh:
        json.dump(out, fh)
