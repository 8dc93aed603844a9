"""The certificate is issued by a real Celery worker process, over the configured broker, into
the same PostgreSQL database; more deliveries of the task issue nothing new."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.db import connection

from lms.learning.models import Certificate
from lms.learning.services import enrollment_create
from lms.learning.tasks import issue_certificate
from tests.conftest import require_service
from tests.factories import UserFactory
from tests.factories.learning import course_page
from tests.lms.learning.simulate import Player
from tests.lms.learning.test_completion_rules import deliver
from tests.workers import test_database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.services,
    pytest.mark.slow,
]

ROOT = Path(__file__).resolve().parents[3]


def test_completion_issues_one_certificate_through_a_real_worker(celery_worker):
    require_service("DATABASE_URL", "the certificate worker test")
    require_service("CELERY_BROKER_URL", "the certificate worker test")
    assert connection.vendor == "postgresql"
    worker = celery_worker(queue=None, env={"DATABASE_URL": test_database_url()})
    try:
        course = course_page(lessons=1, duration=20.0)
        user = UserFactory(name="김민용")
        enrollment = enrollment_create(user=user, course=course)
        lesson = course.get_children().specific().get()

        # Completing the lesson completes the course; on commit the task is sent.
        deliver(user, lesson, Player(duration=20).start().play(20).beats)
        for _ in range(3):  # more deliveries of the same task
            issue_certificate.delay(enrollment.pk)

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Certificate.objects.filter(enrollment=enrollment).exists():
                break
            time.sleep(0.2)
        time.sleep(2)  # let the duplicate deliveries run too
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1
        assert Certificate.objects.get(enrollment=enrollment).learner_name == "김민용"
    finally:
        worker.stop(timeout=20)
