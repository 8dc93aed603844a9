"""Real Chromium: an organization applies, `staff` approves and offers to `trainer`,
`trainer` accepts, the organization sees the confirmed session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from lms.accounts.demo_guard import DEMO_PASSWORD
from lms.demo.services import seed_demo
from lms.outreach.models import OutreachRequest, RequestState
from tests.browser.conftest import axe_violations
from tests.factories.outreach import seoul_reference_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _login(browser, live_server, username):
    context = browser.new_context(
        locale="ko-KR", timezone_id="Asia/Seoul", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    return context, page


def test_apply_approve_offer_accept_confirmed(browser, live_server, eager_celery):
    seoul_reference_data()
    seed_demo()
    mail.outbox.clear()  # the demo's own confirmed sessions sent their invitations
    day = timezone.localdate() + dt.timedelta(days=10)
    while day.weekday() > 4:  # the demo trainer teaches Monday to Saturday
        day += dt.timedelta(days=1)

    org_ctx, org = _login(browser, live_server, "org")
    org.goto("/outreach/apply/")
    # Korean validation: too few participants, no date.
    org.fill("#id_participants", "5")
    org.get_by_role("button", name="신청하기").click()
    # The error sits by its field (and is listed again in the summary at the top).
    error = org.locator("#id_participants_error")
    assert error.inner_text() == "참여 인원은 10명 이상이어야 합니다."
    assert "id_participants_error" in org.get_attribute(
        "#id_participants", "aria-describedby"
    )
    org.fill("#id_participants", "30")
    org.fill("#id_contact_phone", "010-2222-3333")
    org.get_by_label("노동법 기초").check()
    org.fill("#id_slot1_date", day.isoformat())
    org.fill("#id_slot1_start", "14:00")
    org.fill("#id_slot1_end", "16:00")
    org.get_by_role("button", name="신청하기").click()
    org.wait_for_url("**/outreach/requests/**")
    assert org.locator("#request-state").inner_text() == "접수"
    follow_up = org.url
    request = OutreachRequest.objects.exclude(idempotency_key__startswith="demo-").get()
    assert request.organization.name == "성북 마을협동조합"
    # Going back and submitting the same form again does not create a second request.
    org.go_back()
    org.get_by_role("button", name="신청하기").click()
    org.wait_for_url("**/outreach/requests/**")
    assert (
        OutreachRequest.objects.filter(organization=request.organization).count()
        == 1 + 5
    )

    staff_ctx, staff = _login(browser, live_server, "staff")
    staff.goto("/admin/outreach/")
    staff.get_by_role("link", name=f"#{request.pk}").click()
    staff.get_by_role("button", name="검토 시작").click()
    staff.get_by_role("button", name="승인").click()
    assert "강사 섭외 중" in staff.locator("h1").inner_text()
    staff.get_by_role("button", name="박노무 강사에게 제안").click()
    expect(staff.locator("li", has_text="박노무 — 제안")).to_be_visible()
    request.refresh_from_db()
    assert request.offers.get().trainer.user.username == "trainer"

    trainer_ctx, trainer = _login(browser, live_server, "trainer")
    trainer.goto("/outreach/trainer/")
    offer = trainer.locator(f"article.offer[data-offer='{request.offers.get().pk}']")
    offer.get_by_role("button", name="수락").click()
    assert trainer.get_by_text("제안을 수락했습니다.").is_visible()
    request.refresh_from_db()
    assert request.state == RequestState.ASSIGNED
    assert not [
        m for m in mail.outbox if m.attachments
    ]  # nothing is sure before staff confirm

    staff.reload()
    assert "강사 배정" in staff.locator("h1").inner_text()
    staff.get_by_role("button", name="교육 확정 (강사·기관에 안내)").click()
    assert "확정" in staff.locator("h1").inner_text()

    org.goto(follow_up)
    assert org.locator("#request-state").inner_text() == "확정"
    weekday = "월화수목금토일"[day.weekday()]
    assert (
        org.locator("#session-when")
        .inner_text()
        .startswith(f"{day.year}년 {day.month}월 {day.day}일 ({weekday}) 14:00")
    )
    request.refresh_from_db()
    assert request.state == RequestState.CONFIRMED
    invited = {m.to[0] for m in mail.outbox if m.attachments}
    assert invited == {"trainer@demo.slacademy.kr", request.contact_email}
    for ctx in (org_ctx, staff_ctx, trainer_ctx):
        ctx.close()


def test_application_page_has_no_accessibility_violations(page):
    seoul_reference_data()
    seed_demo()
    page.goto("/outreach/apply/")
    page.get_by_role("button", name="신청하기").click()  # the error state too
    assert page.get_by_text("이 항목을 입력해 주세요.").first.is_visible()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
