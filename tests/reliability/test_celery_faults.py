"""Redis restarted while tasks wait, and a worker killed mid-task: no task is lost."""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest

from tests.reliability.conftest import lines, sender, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.services]


def _tokens_done(folder, n):
    done = lines(folder / "done.log")[0::2]
    return len(set(done)) >= n and done


def test_redis_restart_with_tasks_queued_loses_none(
    redis_server, start_worker, tmp_path
):
    queue = f"fault-redis-{os.getpid()}"
    app = sender(redis_server.url)
    before = [f"before-{i}" for i in range(40)]
    for token in before:
        app.send_task("fault.record", args=[token, str(tmp_path)], queue=queue)

    redis_server.restart()

    after = [f"after-{i}" for i in range(10)]
    for token in after:
        app.send_task("fault.record", args=[token, str(tmp_path)], queue=queue)
    start_worker(broker=redis_server.url, queue=queue, visibility_timeout=3600)

    done = wait_for(
        lambda: _tokens_done(tmp_path, 50), timeout=90, what="all 50 tasks to run"
    )
    counts = Counter(done)
    assert set(counts) == set(before + after)
    assert set(counts.values()) == {1}, "a task ran twice"


def test_a_worker_killed_mid_task_finishes_it_on_redelivery(
    redis_server, start_worker, tmp_path
):
    queue = f"fault-kill-{os.getpid()}"
    # Longer than the task, as in production (time limit < visibility timeout).
    visibility = 5
    app = sender(redis_server.url, visibility_timeout=visibility)
    first = start_worker(
        broker=redis_server.url, queue=queue, visibility_timeout=visibility
    )
    app.send_task("fault.record", args=["long", str(tmp_path), 2.0], queue=queue)
    wait_for(
        lambda: lines(tmp_path / "started.log"), timeout=60, what="the task to start"
    )

    first.kill()
    killed_at = time.monotonic()
    assert not lines(tmp_path / "done.log"), "the task finished before the kill"

    start_worker(broker=redis_server.url, queue=queue, visibility_timeout=visibility)
    done = wait_for(
        lambda: lines(tmp_path / "done.log"), timeout=90, what="the redelivered task"
    )

    started = lines(tmp_path / "started.log")
    assert started[0::2] == ["long", "long"], "started once, then once again"
    assert done[0::2] == ["long"]
    # The second run happened in another process than the killed one.
    assert started[1] != started[3] and done[1] == started[3]
    assert time.monotonic() - killed_at < 90
