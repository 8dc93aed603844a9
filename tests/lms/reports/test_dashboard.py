"""The 교육 실적 dashboard in the Wagtail admin shows the report's figures and its charts."""

from __future__ import annotations

import json
import re


def _as(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_dashboard_shows_headlines_tables_charts_and_the_download(
    client, metro_staff, year_of_records
):
    response = _as(client, metro_staff).get("/admin/reports/education/?year=2026")

    assert response.status_code == 200
    html = response.content.decode()
    assert "찾아가는 교육 3개 기관, 4회, 총 1,104명 수강, 만족도 4.17점" in html
    assert "온라인 교육 총 4명 이용(수료자 4명)" in html
    for column in ("1~3월", "4~6월", "7~9월", "10~12월", "계"):
        assert f'<th scope="col">{column}</th>' in html
    assert "찾아가는 교육 권역별" in html and "온라인 교육 분야별" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "reports/dashboard.js" in html
    data = json.loads(
        re.search(
            r'<script id="report-chart-data" type="application/json">(.*?)</script>',
            html,
            re.S,
        ).group(1)
    )
    assert data["sessions"] == [1, 2, 0, 1]
    assert data["attendees"] == [28, 1060, 0, 16]
    assert data["regions"] == ["도심권", "동북권"]
    assert "/api/v1/reports/education.xlsx?year=2026" in html


def test_the_menu_has_the_dashboard_for_staff_only(rf, metro_staff, learner):
    from wagtail import hooks

    items = [fn() for fn in hooks.get_hooks("register_admin_menu_item")]
    item = next(i for i in items if i.url == "/admin/reports/education/")
    request = rf.get("/admin/")

    assert str(item.label) == "교육 실적"
    request.user = metro_staff
    assert item.is_shown(request)
    request.user = learner
    assert not item.is_shown(request)


def test_regional_staff_get_their_center_and_404_for_another(
    client, dongbuk_staff, year_of_records
):
    client = _as(client, dongbuk_staff)
    own = client.get("/admin/reports/education/?year=2026")
    other = client.get(
        f"/admin/reports/education/?year=2026&center={year_of_records['dosim'].pk}"
    )

    assert own.status_code == 200
    assert "총 1,068명 수강" in own.content.decode()
    assert other.status_code == 404


def test_a_bad_year_shows_the_form_error(client, metro_staff, db):
    response = _as(client, metro_staff).get("/admin/reports/education/?year=1999")

    assert response.status_code == 200
    assert "2000" in response.content.decode()  # the form says the allowed range
