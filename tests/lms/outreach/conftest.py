"""Outreach mail goes through Celery tasks: run them in the test process."""

import pytest


@pytest.fixture(autouse=True)
def _outreach_tasks_run_here(eager_celery):
    yield
