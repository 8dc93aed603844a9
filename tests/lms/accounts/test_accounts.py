"""Sign-up, login, API tokens, throttling and roles, through the real views and API."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import APIToken

from lms.accounts.models import Role, User
from lms.accounts.services import STAFF_GROUP_NAME, user_create, user_set_role
from lms.centers.models import Center
from tests.factories import OrganizationFactory, UserFactory, confirm_by_mailed_code

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "citizen@example.org",
    "name": "김민용",
    "agree_privacy": "on",
    "consent_version": "1",
    "password1": "노동-권리-2026!",
    "password2": "노동-권리-2026!",
}


def test_signup_creates_a_learner_who_signs_in_after_the_mailed_code(client):
    response = client.post(reverse("account_signup"), SIGNUP)

    user = User.objects.get(email="citizen@example.org")
    assert user.name == "김민용"
    assert user.role == Role.LEARNER
    assert user.check_password("노동-권리-2026!")
    assert client.get("/").context["user"].is_anonymous
    assert mail.outbox[-1].to == ["citizen@example.org"]
    wrong = client.post(response["Location"], {"code": "AAAA-AAAA"})
    assert wrong.status_code == 200 and client.get("/").context["user"].is_anonymous
    assert confirm_by_mailed_code(client, response).status_code == 302
    assert client.get("/").context["user"] == user
    assert user.emailaddress_set.get().verified


def test_signup_without_privacy_consent_is_refused_in_korean(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "agree_privacy": ""})

    assert response.status_code == 200
    assert "개인정보 수집·이용 동의가 필요합니다" in response.content.decode()
    assert not User.objects.filter(email="citizen@example.org").exists()


def test_signup_with_a_taken_email_in_other_case_makes_no_second_account(
    client, learner
):
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "email": "LEARNER1@example.org"}
    )

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="learner1@example.org").count() == 1


@pytest.mark.parametrize("login", ["learner1", "learner1@example.org"])
def test_login_by_username_or_email(client, learner, password, login):
    response = client.post(
        reverse("account_login"), {"login": login, "password": password}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == learner.pk


def test_login_with_wrong_password_stays_anonymous(client, learner):
    response = client.post(
        reverse("account_login"), {"login": "learner1", "password": "nope"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_token_then_bearer_identifies_the_user(client, learner, password):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "learner1", "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert APIToken.objects.filter(user=learner, revoked_at__isnull=True).count() == 1

    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert me.status_code == 200
    assert me.json()["username"] == "learner1"
    assert me.json()["role"] == "learner"


def test_token_with_email_as_username(client, learner, password):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "learner1@example.org", "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_wrong_password_answers_401_problem(client, learner):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "learner1", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and "비밀번호" in body["detail"]


def test_revoked_or_unknown_token_is_refused(client, learner, password):
    token, raw = APIToken.create_token(user=learner, name="t")
    token.revoke()

    assert (
        client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 401
    )
    assert (
        client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code
        == 401
    )
    assert client.get("/api/v1/auth/me").status_code == 401


def test_token_of_deactivated_user_is_refused(client, learner):
    _, raw = APIToken.create_token(user=learner, name="t")
    learner.is_active = False
    learner.save()

    assert (
        client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 401
    )


def test_api_throttles_after_repeated_failures_even_with_right_password(
    client, learner, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/api/v1/auth/token",
            {"username": "learner1", "password": "wrong"},
            content_type="application/json",
        )

    response = client.post(
        "/api/v1/auth/token",
        {"username": "learner1", "password": password},
        content_type="application/json",
    )

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert "로그인할 수 없습니다" in response.json()["detail"]
    assert not APIToken.objects.filter(user=learner).exists()


def test_site_login_throttles_after_repeated_failures(
    client, learner, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account_login"), {"login": "learner1", "password": "wrong"}
        )

    response = client.post(
        reverse("account_login"), {"login": "learner1", "password": password}
    )

    assert response.status_code == 429
    assert "로그인할 수 없습니다" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_shares_the_same_throttle(client, learner, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account_login"), {"login": "learner1", "password": "wrong"}
        )

    response = client.post(
        "/admin/login/", {"username": "learner1", "password": password}
    )

    assert response.status_code == 429


def test_throttle_is_per_account_other_users_still_log_in(client, learner, settings):
    other = UserFactory(username="other")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account_login"), {"login": "learner1", "password": "wrong"}
        )

    response = client.post(
        reverse("account_login"), {"login": "other", "password": "correct-horse-7"}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


def test_center_staff_enter_the_admin_learners_do_not(client):
    center = Center.objects.get(kind=Center.Kind.METROPOLITAN)
    staff = user_create(
        username="s1",
        email="s1@example.org",
        password="pw-12345678",
        role=Role.STAFF,
        center=center,
    )
    learner = user_create(username="l1", email="l1@example.org", password="pw-12345678")

    assert staff.groups.filter(name=STAFF_GROUP_NAME).exists()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    client.force_login(learner)
    assert client.get("/admin/").status_code == 302


def test_staff_without_center_and_contact_without_organization_are_rejected():
    with pytest.raises(ValidationError, match="소속 센터"):
        user_create(
            username="s2", email="s2@example.org", password="x", role=Role.STAFF
        )
    with pytest.raises(ValidationError, match="소속 기관"):
        user_create(
            username="o2", email="o2@example.org", password="x", role=Role.ORG_CONTACT
        )
    assert not User.objects.filter(username__in=["s2", "o2"]).exists()


def test_changing_role_moves_group_membership_and_scope():
    center = Center.objects.get(kind=Center.Kind.REGIONAL, region__name="동북권")
    user = user_create(username="u3", email="u3@example.org", password="pw-12345678")

    user_set_role(user=user, role=Role.STAFF, center=center)
    assert user.is_center_staff and user.groups.filter(name=STAFF_GROUP_NAME).exists()

    organization = OrganizationFactory()
    user_set_role(
        user=user, role=Role.ORG_CONTACT, organization=organization, center=center
    )
    user.refresh_from_db()
    assert user.center is None and user.organization == organization
    assert not user.groups.filter(name=STAFF_GROUP_NAME).exists()


def test_accounts_from_before_mandatory_verification_still_sign_in(client):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.hashers import make_password

    migration = import_module(
        "lms.accounts.migrations.0002_existing_addresses_verified"
    )
    old = User.objects.create(
        username="old1",
        email="old1@example.org",
        password=make_password("pw-Old-2025!"),
    )
    login = {"login": "old1", "password": "pw-Old-2025!"}
    assert client.post(reverse("account_login"), login)["Location"] != "/"

    migration.record_existing_addresses(apps, None)
    migration.record_existing_addresses(apps, None)  # a second run adds nothing

    assert old.emailaddress_set.get().verified
    later = client.__class__()
    assert later.post(reverse("account_login"), login)["Location"] == "/"
