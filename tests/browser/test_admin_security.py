"""The Wagtail admin in real Chromium under our CSP, with the staff idle-timeout warning."""

from __future__ import annotations

import pytest

from lms.accounts.services import user_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PASSWORD = "admin-browser-passphrase-7"


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def test_admin_works_under_csp_and_warns_before_the_idle_logout(page, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 12
    settings.STAFF_IDLE_WARNING_SECONDS = 10
    user_create(
        username="chief", email="chief@example.org", password=PASSWORD,
        is_superuser=True,
    )  # fmt: skip
    errors = _csp_errors(page)

    page.goto("/admin/login/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    # Wagtail's own scripts ran: the sidebar is drawn by JavaScript.
    page.wait_for_selector("[data-wagtail-sidebar] nav, #wagtail-sidebar nav")

    warning = page.locator("#idle-timeout-warning")
    warning.wait_for(state="visible", timeout=8_000)
    assert "자동으로 로그아웃" in warning.inner_text()

    with page.expect_response("**/privacy/session/extend/") as extended:
        page.click("#idle-timeout-extend")
    assert extended.value.status == 200
    assert extended.value.json()["expires_in"] == 12
    warning.wait_for(state="hidden")
    assert errors == []

    # Left alone past the timeout, the page goes to the login screen.
    page.wait_for_url("**/admin/login/**", timeout=20_000)


def test_public_pages_run_no_inline_script_and_report_no_csp_violation(page):
    errors = _csp_errors(page)
    response = page.goto("/")

    policy = response.headers["content-security-policy"]
    script_src = next(d for d in policy.split(";") if "script-src" in d)
    assert "'unsafe-inline'" not in script_src
    assert errors == []


def test_api_docs_render_under_the_strict_policy(page):
    errors = _csp_errors(page)
    response = page.goto("/api/v1/docs")

    assert "script-src 'self';" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert errors == []
