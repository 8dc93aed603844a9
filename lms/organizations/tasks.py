"""Emails of the organization portal, sent by the Celery worker. Thin: primary keys in."""

from celery import shared_task

from lms.organizations.notifications import invitation_email, reminder_email


@shared_task(name="organizations.send_invitation")
def send_invitation(invitation_id: int) -> bool:

    return invitation_email(invitation_id=invitation_id)


@shared_task(name="organizations.send_training_reminder")
def send_training_reminder(reminder_id: int) -> bool:

    return reminder_email(reminder_id=reminder_id)
