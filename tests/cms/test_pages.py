"""The public site: a Korean, accessible home page and the Wagtail admin in Korean."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_page_is_korean_and_accessible(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "<title>서울노동아카데미</title>" in html
    assert re.search(r'<a class="skip-link" href="#main">본문 바로가기</a>', html)
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="주 메뉴"' in html
    assert 'name="viewport"' in html


def test_menu_shows_pages_editors_mark_for_menus(client):
    call_command("seed_demo", "--quiet-table")

    html = client.get("/").content.decode()

    assert 'href="/about/"' in html and "아카데미 소개" in html
    about = client.get("/about/").content.decode()
    assert "<title>아카데미 소개 | 서울노동아카데미</title>" in about


def test_signed_in_user_sees_name_and_logout(client, learner):
    client.force_login(learner)

    html = client.get("/").content.decode()

    assert (
        "김민용님" in html
        and "로그아웃" in html
        and "회원가입" not in html.split("<main")[0]
    )


def test_wagtail_admin_login_is_in_korean(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "로그인" in response.content.decode()


def test_unknown_page_is_a_korean_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()
