"""The organization portal in real Chromium: the `org` contact assigns a short statutory
course and invites two employees (CSV and the shared link); they sign up through allauth,
join, watch the lessons (through the learning services, to stay fast) and pass the test in
the browser; the contact downloads the evidence pack, which lists both with their
certificate numbers."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
import zipfile

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from cms.courses import Category
from lms.accounts.models import Role, User
from lms.learning.models import Certificate
from lms.privacy.models import PersonalDataAccess
from tests.browser.conftest import axe_violations
from tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from tests.factories.learning import course_page
from tests.lms.organizations.conftest import watch_lessons

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NEW_PASSWORD = "statutory-Training-2026"


@pytest.fixture
def reference_data(db):
    """What data migrations put in: the districts and the signup consent. Another
    transactional test's flush may have emptied those tables before this one."""
    from django.apps import apps

    from tests.factories.outreach import seoul_reference_data

    seoul_reference_data()
    consent = importlib.import_module(
        "lms.privacy.migrations.0003_access_log_append_only_and_signup_consent_v1"
    )
    consent.create_signup_consent_v1(apps, None)


def _log_in(page, username: str) -> None:
    """From the home page, by the header's own link."""
    page.goto("/")
    page.locator(".site-header").get_by_role("link", name="로그인", exact=True).click()
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/$"))


def _sign_up_and_join(browser, live_server, join_path: str, *, email: str, name: str):
    context = browser.new_context(
        locale="ko-KR", timezone_id="Asia/Seoul", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(join_path)
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    page.locator("#join-signup").click()
    page.fill("#id_email", email)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.fill("#id_name", name)
    page.check("#id_agree_privacy")
    page.locator("form button[type=submit]").last.click()
    # The address is confirmed by the code mailed to it, then the join page is back.
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    sent = next(m for m in reversed(mail.outbox) if m.to == [email])
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", sent.body, re.M)
    assert code, sent.body
    page.fill("input[name=code]", code.group(1))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(join_path) + "$"))
    page.get_by_role("button", name="기관에 참여하기").click()
    page.wait_for_url(re.compile(r".*/my/$"))
    assert "배정된 교육이 내 강의실에 추가되었습니다" in page.content()
    return context, page


def _to_portal(page) -> None:
    page.locator(".site-header").get_by_role(
        "link", name="기관 포털", exact=True
    ).first.click()
    page.wait_for_url(re.compile(r".*/org/$"))


def _pass_test_in_browser(page, course) -> None:
    # From 내 강의실, where joining left the employee, by links.
    page.reload()  # the lessons were watched after the page was drawn
    page.get_by_role("link", name=course.title).first.click()
    page.get_by_role("link", name="평가 보기").click()
    for group in page.locator("fieldset").all():
        group.locator("input[type=radio]").first.check()  # "O": the right answer
    page.get_by_role("button", name="답안 제출").click()
    page.wait_for_url(re.compile(rf".*/my/courses/{course.pk}/test/\d+/$"))
    assert "합격했습니다" in page.content()


def test_org_contact_invites_two_employees_who_complete_and_the_pack_lists_both(
    browser,
    page,
    live_server,
    eager_celery,
    reference_data,
    tmp_path,
):
    organization = OrganizationFactory(name="성북 마을협동조합")
    UserFactory(username="org", role=Role.ORG_CONTACT, organization=organization)
    course = course_page(
        lessons=1,
        duration=30.0,
        questions=2,
        test_question_count=2,
        title="직장 내 성희롱 예방",
        category=Category.STATUTORY,
        audience="workplace",
    )

    # The contact assigns the course and invites: one by CSV, one by the shared link.
    # From the home page on, the contact moves by the site's links only.
    _log_in(page, "org")
    _to_portal(page)
    page.get_by_label("법정의무교육 강의").select_option(label="직장 내 성희롱 예방")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("이수 기한").fill(deadline.isoformat())
    page.get_by_role("button", name="배정하기").click()
    page.wait_for_url(re.compile(r".*/org/assignments/\d+/$"))
    _to_portal(page)
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    link = page.locator("#invite-url").input_value()
    link_path = "/" + link.split("/", 3)[3]
    page.get_by_role("link", name="CSV 파일로 여러 명 초대하기").click()
    csv_file = tmp_path / "직원명단.csv"
    csv_file.write_text(
        "이름,이메일\n김하늘,sky@example.org\n잘못된줄,not-an-email\n", encoding="utf-8"
    )
    page.set_input_files("input[type=file]", str(csv_file))
    page.get_by_role("button", name="초대 보내기").click()
    result = page.locator("#csv-result")
    assert "1명에게 초대 메일을 보냈습니다." in result.inner_text()
    assert "이메일 주소가 올바르지 않습니다" in page.locator("#csv-errors").inner_text()

    invitation_mail = next(m for m in mail.outbox if m.to == ["sky@example.org"])
    personal_path = re.search(r"(/org/join/[^/\s]+/)", invitation_mail.body).group(1)

    # Both sign up through allauth, join, and finish the course.
    people = [
        ("sky@example.org", "김하늘", personal_path),
        ("sea@example.org", "이바다", link_path),
    ]
    for email, name, join_path in people:
        context, employee_page = _sign_up_and_join(
            browser, live_server, join_path, email=email, name=name
        )
        user = User.objects.get(email=email)
        watch_lessons(user, course)
        _pass_test_in_browser(employee_page, course)
        context.close()
    numbers = {
        c.learner_name: c.number
        for c in Certificate.objects.filter(enrollment__course=course)
    }
    assert set(numbers) == {"김하늘", "이바다"}

    # The contact sees both completed and downloads the evidence pack.
    _to_portal(page)
    page.get_by_role("link", name=re.compile("직장 내 성희롱 예방")).click()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    table = page.locator("#progress-table").inner_text()
    for number in numbers.values():
        assert number in table
    page.get_by_label("내려받는 사유").fill("노동청 점검 제출용")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="증빙 자료 내려받기 (ZIP)").click()
    saved = tmp_path / "pack.zip"
    download_info.value.save_as(saved)
    bundle = zipfile.ZipFile(saved)
    sheet = load_workbook(io.BytesIO(bundle.read("수료현황.xlsx"))).active
    listed = {r[0]: r[7] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert listed == numbers
    export = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.EXPORT)
    assert export.reason == "노동청 점검 제출용"
    for number in numbers.values():
        pdf = PdfReader(io.BytesIO(bundle.read(f"수료증/{number}.pdf")))
        assert number in pdf.pages[0].extract_text()
