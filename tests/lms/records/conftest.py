"""The organizations tests' statutory course and contact, for the evidence pack tests."""

from tests.lms.organizations.conftest import (  # noqa: F401 - fixtures
    contact,
    organization,
    statutory_course,
)
