"""Celery tasks of privacy: the daily retention purge."""

from celery import shared_task

from lms.privacy.retention import purge_expired


@shared_task(name="privacy.purge_expired")
def purge_expired_task() -> dict[str, int]:
    return purge_expired()
