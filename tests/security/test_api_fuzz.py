"""schemathesis against the running product: `make run` served over HTTP, as anonymous
and as each demo role.

The operations come from the committed OpenAPI snapshot, which tests/config/test_api.py
holds equal to the product's own schema (and the fixture checks against the running
server), because the cases must be known when pytest collects, before the server runs.

Every operation, generated inputs within the schema and outside it: no 5xx, and every
answer matches the documented status codes, content types and bodies. The product runs
as a newcomer's `make run` does (web server, Celery worker and beat, demo data), so deep
health has a worker to ask. Examples per operation are bounded
(SCHEMATHESIS_MAX_EXAMPLES, default 25) to keep CI fast.
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lms.accounts.demo_guard import DEMO_PASSWORD
from tests.running import running_product
from tests.security.access_matrix import ANON, ROLE_USERNAMES, ROLES

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))


def _token(base: str, username: str) -> str:
    request = urllib.request.Request(
        base + "/api/v1/auth/token",
        data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["token"]


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    with running_product(tmp_path_factory.mktemp("fuzz")) as running:
        base = running.base
        # Tokens first: the generated logins that follow may well lock this address out.
        headers = {ANON: {}}
        for role in ROLES[1:]:
            headers[role] = {
                "Authorization": f"Bearer {_token(base, ROLE_USERNAMES[role])}"
            }
        with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=30) as r:
            served = json.loads(r.read())
        assert served == json.loads(SNAPSHOT.read_text())  # the cases are its own
        yield base, headers


SNAPSHOT = Path(__file__).parents[1] / "config" / "openapi.snapshot.json"
schema = schemathesis.openapi.from_path(SNAPSHOT)


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
def test_api_answers_every_role_within_its_schema(case, product):
    base, role_headers = product
    # Rules the schema cannot express (an end after its start, a real month) answer a
    # documented 400/422 problem to input that is valid by the schema alone.
    excluded = [positive_data_acceptance]
    for role in ROLES:
        case.call_and_validate(
            base_url=base,
            headers={**(case.headers or {}), **role_headers[role]},
            excluded_checks=excluded,
        )
