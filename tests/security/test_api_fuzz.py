"""schemathesis against /api/v1/openapi.json, as anonymous and as each demo role.

Every operation, generated inputs within the schema and outside it: no 5xx, and every
answer matches the documented status codes, content types and bodies. Examples per
operation are bounded (SCHEMATHESIS_MAX_EXAMPLES, default 25) to keep CI fast.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from axes.utils import reset as axes_reset
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lms.accounts.models import User
from lms.accounts.services import api_token_create
from lms.demo.services import seed_demo
from tests.security.access_matrix import ANON, ROLE_USERNAMES, ROLES

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _short_worker_wait(monkeypatch):
    # `deep=true` really sends a task; with no worker in this test it waits this long.
    monkeypatch.setattr("config.health.WORKER_TIMEOUT_SECONDS", 0.3)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler closes database connections when a request ends, which would end
    # the test's transaction on PostgreSQL; Django's own test client does the same.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """The demo data and a token per role, made once for the module's ~40 cases inside
    one transaction that each case's own (a savepoint) rolls back to, and that is rolled
    back when the module ends: seeding per case cost 3.5 minutes per run."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            headers = {ANON: {}}
            for role in ROLES[1:]:
                user = User.objects.get(username=ROLE_USERNAMES[role])
                _token, raw = api_token_create(user=user)
                headers[role] = {"Authorization": f"Bearer {raw}"}
            yield headers
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def role_headers(_seeded_once, db) -> dict[str, dict[str, str]]:
    return _seeded_once


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_answers_every_role_within_its_schema(case, role_headers):
    # Rules the schema cannot express (an end after its start, a real month) answer a
    # documented 400/422 problem to input that is valid by the schema alone.
    excluded = [positive_data_acceptance]
    if case.operation.label == "GET /api/v1/health":
        # Its documented 503 is its purpose: `deep=true` with no worker running here.
        excluded.append(not_a_server_error)
    for role in ROLES:
        # Generated logins must not lock the shared test address out for the next role.
        axes_reset()
        case.call_and_validate(
            headers={**(case.headers or {}), **role_headers[role]},
            excluded_checks=excluded,
        )
