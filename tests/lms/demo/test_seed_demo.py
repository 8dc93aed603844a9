"""`seed_demo` is idempotent and every demo account can sign in."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.models import HomePage, NoticeIndexPage, NoticePage
from lms.accounts.demo_guard import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    demo_accounts_with_demo_password,
)
from lms.accounts.models import Role, User
from lms.demo.services import DEMO_NOTICES

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_creates_each_account_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    for username in DEMO_USERNAMES:
        assert User.objects.filter(username=username).count() == 1
    out = capsys.readouterr().out
    assert "새 계정 6개" in out and "새 계정 0개, 기존 계정 6개" in out
    assert DEMO_PASSWORD in out
    # The home page as an editor left it, once: three featured live courses, two notices.
    home = HomePage.objects.get()
    assert [block.value.specific.live for block in home.featured_courses] == [True] * 3
    assert NoticeIndexPage.objects.live().count() == 1
    assert NoticePage.objects.live().count() == len(DEMO_NOTICES) == 2


def test_demo_roles_and_scopes():
    call_command("seed_demo", "--quiet-table")
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}

    assert users["admin"].is_superuser
    assert (
        users["staff"].role == Role.STAFF
        and users["staff"].center.kind == "metropolitan"
    )
    assert users["staff-dongbuk"].center.region.name == "동북권"
    assert users["trainer"].role == Role.TRAINER
    assert users["org"].organization.district.name == "성북구"
    assert users["learner"].role == Role.LEARNER


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_each_demo_account_logs_in_on_the_site_and_the_api(client, username):
    call_command("seed_demo", "--quiet-table")

    response = client.post(
        reverse("account_login"), {"login": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]

    token = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 200


def test_production_guard_names_every_demo_account_until_passwords_change():
    call_command("seed_demo", "--quiet-table")
    assert demo_accounts_with_demo_password() == sorted(DEMO_USERNAMES)

    learner = User.objects.get(username="learner")
    learner.set_password("a-new-secret-2026")
    learner.save()
    assert "learner" not in demo_accounts_with_demo_password()
