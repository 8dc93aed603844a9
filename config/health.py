"""`GET /api/v1/health`: whether each part the product depends on answers right now."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status

from config.celery import app as celery_app
from config.celery import ping
from media_pipeline.ffmpeg import ffmpeg_info

logger = logging.getLogger(__name__)
router = Router(tags=["health"])


class PartStatus(Schema):
    ok: bool
    detail: str
    elapsed_ms: float


class HealthOut(Schema):
    status: str
    checks: dict[str, PartStatus]


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_broker() -> str:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        return conn.transport.driver_type


def _check_storage() -> str:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("read back differs")
    finally:
        default_storage.delete(name)
    return type(default_storage._wrapped).__name__


def _check_ffmpeg() -> str:
    return ffmpeg_info().version


WORKER_TIMEOUT_SECONDS = 15.0


def _check_worker() -> str:
    result = ping.apply_async(expires=30)
    return str(result.get(timeout=WORKER_TIMEOUT_SECONDS, interval=0.2))


def _run(check: Callable[[], str]) -> PartStatus:
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except Exception as exc:  # noqa: BLE001 - a health check reports any failure
        # Anyone may call this: the answer names the failure, the log keeps the text.
        logger.warning("health check %s failed", check.__name__, exc_info=True)
        detail, ok = type(exc).__name__, False
    return PartStatus(
        ok=ok,
        detail=detail,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


@router.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    auth=None,
    summary="Status of database, broker, storage and ffmpeg",
    description="200 when every part answers, 503 otherwise. `deep=true` also sends a task "
    "through the broker and waits for a worker to answer it.",
)
def health(request: HttpRequest, deep: bool = False):
    checks = {
        "database": _run(_check_database),
        "broker": _run(_check_broker),
        "storage": _run(_check_storage),
        "ffmpeg": _run(_check_ffmpeg),
    }
    if deep:
        checks["worker"] = _run(_check_worker)
    healthy = all(part.ok for part in checks.values())
    body = HealthOut(status="ok" if healthy else "error", checks=checks)
    return Status(200 if healthy else 503, body)
