"""`GET /api/v1/health`: whether each part the product depends on answers right now."""

from __future__ import annotations

import logging
import os
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
from core import access
from core.auth import bearer_token
from media_pipeline.ffmpeg import ffmpeg_info, media_tools

logger = logging.getLogger(__name__)
router = Router(tags=["health"])


class PartStatus(Schema):
    ok: bool
    detail: str
    elapsed_ms: float


class HealthOut(Schema):
    status: str
    checks: dict[str, PartStatus]


class DatabaseReadOnly(RuntimeError):
    """The database answers reads but refuses writes (a replica, a full disk, a flag)."""


def _database_read_only() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_is_in_recovery(), current_setting('transaction_read_only')"
            )
            in_recovery, read_only = cursor.fetchone()
            return bool(in_recovery) or read_only == "on"
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only")
            (query_only,) = cursor.fetchone()
            name = str(connection.settings_dict["NAME"])
            on_disk = name != ":memory:" and not name.startswith("file:")
            return bool(query_only) or (on_disk and not os.access(name, os.W_OK))
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return False


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    if _database_read_only():
        raise DatabaseReadOnly("the database refuses writes")
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
    """`6.0-static (bundled)`: the version and where the pair came from."""
    info = ffmpeg_info()
    return f"{info.version} ({info.source})"


def _check_ffmpeg_binary() -> str:
    """The deep check also names the programs themselves."""
    tools = media_tools()
    for path in (tools.ffmpeg, tools.ffprobe):
        if not os.access(path, os.X_OK):
            raise FileNotFoundError(path)
    return f"{tools.source}: {tools.ffmpeg}, {tools.ffprobe}"


WORKER_TIMEOUT_SECONDS = 15.0


def _check_worker() -> str:
    result = ping.apply_async(expires=30)
    return str(result.get(timeout=WORKER_TIMEOUT_SECONDS, interval=0.2))


def _run(check: Callable[[], str], *, detailed: bool) -> PartStatus:
    """`detailed` (operators): versions and the failure's kind; anyone else: ok or not."""
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except Exception as exc:  # noqa: BLE001 - a health check reports any failure
        # The log keeps the text; the answer names at most the kind of failure.
        logger.warning("health check %s failed", check.__name__, exc_info=True)
        detail, ok = type(exc).__name__, False
    if not detailed:
        detail = "ok" if ok else "unavailable"
    return PartStatus(
        ok=ok,
        detail=detail,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _is_operator(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        try:
            # The auth class answers with the token and puts its owner on the request.
            token = bearer_token(request)
        except Exception:  # noqa: BLE001 - a bad token is an anonymous caller here
            token = None
        user = getattr(token, "user", None)
    return access.is_operator(user)


@router.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    auth=None,
    summary="Status of database, broker, storage and ffmpeg",
    description="200 when every part answers, 503 otherwise. For center staff and "
    "superusers (session or bearer token) each part names what answered (versions), and "
    "`deep=true` also checks the ffmpeg programs and sends a task through the broker to a "
    "worker; anyone else gets ok or unavailable per part, and `deep` changes nothing.",
)
def health(request: HttpRequest, deep: bool = False):
    detailed = _is_operator(request)
    checks = {
        "database": _run(_check_database, detailed=detailed),
        "broker": _run(_check_broker, detailed=detailed),
        "storage": _run(_check_storage, detailed=detailed),
        "ffmpeg": _run(_check_ffmpeg, detailed=detailed),
    }
    if deep and detailed:
        # A worker round trip per call is for operators only: anyone may call this.
        checks["ffmpeg_binary"] = _run(_check_ffmpeg_binary, detailed=detailed)
        checks["worker"] = _run(_check_worker, detailed=detailed)
    healthy = all(part.ok for part in checks.values())
    body = HealthOut(status="ok" if healthy else "error", checks=checks)
    return Status(200 if healthy else 503, body)
