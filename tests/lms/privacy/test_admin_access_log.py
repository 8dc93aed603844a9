"""Viewing, editing and deleting a person in the Wagtail admin writes the access log."""

from __future__ import annotations

import pytest

from lms.privacy.models import PersonalDataAccess
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    admin = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_opening_a_person_logs_a_view(superuser_client, learner):
    response = superuser_client.get(f"/admin/users/edit/{learner.pk}/")

    assert response.status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.actor_username, row.action, row.subject_user) == (
        "chief",
        "view",
        learner,
    )
    assert row.path == f"/admin/users/edit/{learner.pk}/"
    assert row.ip_address == "127.0.0.1"


def test_deleting_a_person_logs_the_deletion_and_keeps_the_row(
    superuser_client, learner
):
    pk = learner.pk
    response = superuser_client.post(f"/admin/users/delete/{pk}/")

    assert response.status_code == 302
    row = PersonalDataAccess.objects.get(action="delete")
    assert row.subject_user is None  # the person is gone; the log stays
    assert str(pk) in row.subject
