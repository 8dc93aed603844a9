"""Celery tasks of outreach; thin wrappers over services and notifications (see the beat
entries in settings)."""

from __future__ import annotations

import smtplib

from celery import shared_task

from lms.outreach import notifications, services


@shared_task
def expire_offers() -> int:
    return services.offers_expire()


@shared_task
def send_reminders() -> int:
    return services.reminders_send()


@shared_task(name="outreach.notify")
def notify(kind: str, pk: int) -> int:
    """Fan out: one `send_mail` task per message, so each retries on its own."""
    count = len(notifications.messages_of(kind, pk))
    for index in range(count):
        send_mail.delay(kind, pk, index)
    return count


@shared_task(
    name="outreach.send_mail",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=10,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    # About two days of tries at the longest backoff: an outage delays mail, loses none.
    max_retries=200,
)
def send_mail(kind: str, pk: int, index: int) -> None:
    notifications.deliver(kind, pk, index)
