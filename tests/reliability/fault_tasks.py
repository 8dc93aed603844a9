"""A task for the fault tests: it marks its start and end in files, so a test can tell
what ran, how often, and in which worker process. Loaded with `celery worker -I`."""

from __future__ import annotations

import os
import time
from pathlib import Path

from config.celery import app


@app.task(name="fault.record")
def record(token: str, folder: str, seconds: float = 0.0) -> str:
    folder_path = Path(folder)
    with open(folder_path / "started.log", "a", encoding="utf-8") as log:
        log.write(f"{token} {os.getpid()}\n")
    time.sleep(seconds)
    with open(folder_path / "done.log", "a", encoding="utf-8") as log:
        log.write(f"{token} {os.getpid()}\n")
    return token
