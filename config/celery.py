"""The Celery app. Tasks live in each app's `tasks.py`; settings come from Django (CELERY_*)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("slacademy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_embedded_broker_dirs() -> None:
    """Create the folders of the file-system broker and result store, when they are in use."""
    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    folders = [
        options.get("data_folder_in"),
        options.get("processed_folder"),
        options.get("control_folder"),
    ]
    if settings.CELERY_RESULT_BACKEND.startswith("file://"):
        folders.append(settings.CELERY_RESULT_BACKEND.removeprefix("file://"))
    for folder in filter(None, folders):
        Path(folder).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare(sender: Celery, **kwargs: object) -> None:
    ensure_embedded_broker_dirs()


@app.task(name="health.ping")
def ping() -> str:
    """Round trip through broker, worker and result store; used by the deep health check."""
    return "pong"
