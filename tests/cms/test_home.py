"""The home page as editors shape it in Wagtail: featured courses, notices, the outreach
call to action, and the Academy's figures of the year from the report's own selectors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.models import HomePage, NoticeIndexPage, NoticePage
from core.time import SEOUL
from lms.reports.selectors import Period, education_report
from tests.factories.learning import course_page
from tests.factories.outreach import seoul_time, trainer_profile
from tests.factories.reports import delivered_session, regional_center

pytestmark = pytest.mark.django_db


def _home() -> HomePage:
    return HomePage.objects.get()


def _publish(page) -> None:
    page.save_revision().publish()


def _section(html: str, heading_id: str) -> str:
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', html, re.S
    )
    return match.group(1) if match else ""


def test_featured_courses_in_the_editors_order_and_only_live_ones(client):
    first, second, hidden = (course_page(lessons=1) for _ in range(3))
    hidden.unpublish()
    home = _home()
    home.featured_courses = [
        ("course", second),
        ("course", hidden),
        ("course", first),
        ("course", second),  # chosen twice, shown once
    ]
    home.outreach_title = "우리 동네로 찾아가는 교육"
    _publish(home)

    html = client.get("/").content.decode()
    featured = _section(html, "featured-h")
    titles = re.findall(r'course-card__title"><a href="[^"]+">([^<]+)</a>', featured)
    assert titles == [second.title, first.title]
    assert 'href="/courses/"' in featured
    assert "우리 동네로 찾아가는 교육" in _section(html, "outreach-cta")

    home.featured_courses = []
    _publish(home)
    assert 'id="featured-h"' not in client.get("/").content.decode()


def test_notices_newest_first_on_the_home_page_and_all_of_them_in_their_list(client):
    home = _home()
    index = NoticeIndexPage(title="공지사항", slug="notices", show_in_menus=True)
    home.add_child(instance=index)
    _publish(index)
    today = timezone.localdate()
    for days_ago, title, live in [
        (30, "가장 오래된 공지", True),
        (1, "어제 공지", True),
        (10, "열흘 전 공지", True),
        (5, "닷새 전 공지", True),
        (0, "아직 게시 전", False),
    ]:
        notice = NoticePage(
            title=title, body="<p>본문</p>", date=today - dt.timedelta(days=days_ago)
        )
        index.add_child(instance=notice)
        if live:
            _publish(notice)
        else:
            notice.unpublish()

    html = client.get("/").content.decode()
    on_home = _section(html, "notices-h")
    assert re.findall(r'<a href="[^"]+">([^<]+)</a> <time', on_home) == [
        "어제 공지",
        "닷새 전 공지",
        "열흘 전 공지",
    ]
    yesterday = today - dt.timedelta(days=1)
    assert (
        f'<time datetime="{yesterday:%Y-%m-%d}">{yesterday:%Y.%m.%d}</time>' in on_home
    )
    assert 'href="/notices/"' in on_home
    # The menu carries the list, as editors mark it.
    assert 'href="/notices/"' in html.split("<main")[0]

    listing = client.get("/notices/").content.decode().split("<main")[1]
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a> <time', listing) == [
        "어제 공지",
        "닷새 전 공지",
        "열흘 전 공지",
        "가장 오래된 공지",
    ]
    assert "아직 게시 전" not in listing
    link = re.search(r'<a href="([^"]+)">어제 공지</a>', listing).group(1)
    notice = client.get(link).content.decode()
    assert f"{yesterday.year}년 {yesterday.month}월 {yesterday.day}일" in notice


def test_the_year_figures_are_the_reports_own(client):
    cache.clear()
    year = timezone.localdate(timezone=SEOUL).year
    center = regional_center("동북권")
    trainer = trainer_profile(username="figures-trainer")
    common = {
        "trainer": trainer,
        "hours": 2,
        "center": center,
        "district": "성북구",
    }
    for day, organization, people in [(2, "가 사업장", 1234), (3, "나 학교", 21)]:
        delivered_session(
            starts_at=seoul_time(year, 1, day, 10),
            created_at=seoul_time(year, 1, 1, 9),
            reported=people,
            organization_name=organization,
            **common,
        )
    delivered_session(  # last year's: not this year's figure
        starts_at=seoul_time(year - 1, 12, 30, 10),
        created_at=seoul_time(year - 1, 12, 1, 9),
        reported=500,
        organization_name="다 노조",
        **common,
    )

    html = client.get("/").content.decode()
    assert f"{year}년 서울노동아카데미는" in html
    figures = re.findall(
        r'year-figures__label">([^<]+)</span> <strong>([^<]+)</strong>([^<]*)</li>',
        _section(html, "figures-h"),
    )
    report = education_report(period=Period(year), center=None)
    assert report["outreach"]["attendees"] == 1255
    assert figures == [
        ("찾아가는 교육 실시", "2", "회"),
        ("교육 기관", "2", "곳"),
        ("수강 인원", "1,255", "명"),
        ("온라인 수료", f"{report['online']['completions']:,}", "건"),
    ]

    home = _home()
    home.show_year_figures = False
    _publish(home)
    assert 'id="figures-h"' not in client.get("/").content.decode()
