"""Celery tasks of learning. Thin: they take primary keys and call one service."""

from celery import shared_task


@shared_task(name="learning.issue_certificate", acks_late=True)
def issue_certificate(enrollment_id: int) -> str:
    """Issue the certificate of a completed enrollment; a redelivered task issues nothing new."""
    from lms.learning.services import certificate_issue

    return certificate_issue(enrollment_id=enrollment_id).number
