"""The home page in real Chromium: keyboard reaches the skip link, axe finds nothing."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_home_page_has_no_accessibility_violations_and_skip_link_works(page):
    page.goto("/")

    assert page.locator("html").get_attribute("lang") == "ko"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "본문 바로가기"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_phone_width_keeps_navigation_visible(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/")

    page.get_by_role("button", name="메뉴").click()
    assert page.get_by_role("link", name="로그인").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    context.close()
