"""Shared fixtures. Services come from the environment; see `require_service`."""

from __future__ import annotations

import os

import pytest

from lms.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(env_var: str, what: str) -> str:
    """The service URL from the environment; skip without it, or fail under REQUIRE_SERVICES=1."""
    value = os.environ.get(env_var, "")
    if not value:
        message = f"{what} needs {env_var}"
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {env_var} is not set: {message}")
        pytest.skip(message)
    return value


@pytest.fixture
def learner(db) -> User:
    return UserFactory(username="learner1", email="learner1@example.org", name="김민용")


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests must not see each other's cached rate limits or sessions."""
    from django.core.cache import cache

    cache.clear()
    yield
