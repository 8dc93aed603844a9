"""Celery tasks of outreach; thin wrappers over services (see the beat entries in settings)."""

from celery import shared_task

from lms.outreach import services


@shared_task
def expire_offers() -> int:
    return services.offers_expire()


@shared_task
def send_reminders() -> int:
    return services.reminders_send()
