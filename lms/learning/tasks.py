"""Celery tasks of learning. Thin: they take primary keys and call one service."""

from celery import shared_task

from lms.learning.selectors import enrollments_awaiting_certificate
from lms.learning.services import certificate_issue


@shared_task(name="learning.issue_certificate", acks_late=True)
def issue_certificate(enrollment_id: int) -> str:
    """Issue the certificate of a completed enrollment; a redelivered task issues nothing new."""

    return certificate_issue(enrollment_id=enrollment_id).number


@shared_task(name="learning.issue_missing_certificates")
def issue_missing_certificates() -> int:
    """Catch up on completed enrollments whose certificate task never ran (broker down)."""

    issued = 0
    for enrollment_id in enrollments_awaiting_certificate():
        certificate_issue(enrollment_id=enrollment_id)
        issued += 1
    return issued
