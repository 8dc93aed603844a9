"""Shared fixtures. Services come from the environment; see `require_service`."""

from __future__ import annotations

import os

import pytest

from lms.accounts.models import User
from tests import db_guards
from tests.factories import DEFAULT_PASSWORD, UserFactory

db_guards.install()

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Set by .ci/run's bare step, which hides the system ffmpeg, ffprobe, fonts and Chromium:
# the tests that prove the bundled tools are the ones in use run only there.
EXPECT_BUNDLED_TOOLS = os.environ.get("EXPECT_BUNDLED_TOOLS") == "1"


def require_service(env_var: str, what: str) -> str:
    """The service URL from the environment; skip without it, or fail under REQUIRE_SERVICES=1."""
    value = os.environ.get(env_var, "")
    if not value:
        message = f"{what} needs {env_var}"
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {env_var} is not set: {message}")
        pytest.skip(message)
    return value


@pytest.fixture
def learner(db) -> User:
    return UserFactory(username="learner1", email="learner1@example.org", name="김민용")


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests must not see each other's cached rate limits or sessions."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def local_media(settings, tmp_path):
    """Uploads and renditions on the local file storage under a fresh folder, whatever
    the run's default (CI's is S3): for what only the local storage serves."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_celery():
    """Celery runs each task in the test process when it is sent: the real task code,
    retries included, without a worker (the live server's thread sends them too)."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def celery_worker():
    """Start real worker processes (tests/workers.py); all are stopped afterwards."""
    from tests.workers import CeleryWorker

    started: list[CeleryWorker] = []

    def start(**options) -> CeleryWorker:
        worker = CeleryWorker(**options).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
