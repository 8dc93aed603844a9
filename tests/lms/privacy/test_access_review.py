"""The monthly access-log review: unusual volumes highlighted, the acknowledgement logged."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import AuditRecord
from lms.centers.models import Center
from lms.privacy import review
from lms.privacy.models import AccessLogReview, PersonalDataAccess
from tests.factories import UserFactory
from tests.factories.outreach import staff_user

pytestmark = pytest.mark.django_db
SEOUL = dt.timezone(dt.timedelta(hours=9))
OCTOBER = dt.date(2026, 10, 1)


def _opened(actor, day: int, records: int, *, subject_user=None, hour=10, month=10):
    return PersonalDataAccess.objects.create(
        at=dt.datetime(2026, month, day, hour, tzinfo=SEOUL),
        actor=actor,
        actor_username=actor.username,
        action="export" if records > 1 else "view",
        subject=f"수강생 명단 {day}일",
        subject_user=subject_user,
        record_count=records,
    )


@pytest.fixture
def october():
    steady = UserFactory(username="steady")
    spiky = UserFactory(username="spiky")
    bulk = UserFactory(username="bulk")
    learner = UserFactory(name="김민용")
    for day in range(1, 9):
        _opened(steady, day, 4)
        _opened(spiky, day, 2, subject_user=learner)
    _opened(steady, 20, 12)  # exactly 3 × the median: not above it
    _opened(spiky, 21, 7)  # 7 > 3 × 2
    _opened(bulk, 22, 501)  # one day only, but over the fixed threshold
    # 2026-10-31 23:30 UTC is November in Seoul: not October's.
    _opened(bulk, 1, 900, hour=8, month=11)
    return steady, spiky, bulk


def test_the_review_highlights_unusual_days_only(october, settings):
    settings.PRIVACY_REVIEW_DAILY_THRESHOLD = 500
    report = review.month_review(month=OCTOBER)
    actors = {a.actor_username: a for a in report.actors}
    assert set(actors) == {"steady", "spiky", "bulk"}

    assert actors["steady"].unusual_days == []
    assert actors["steady"].records == 8 * 4 + 12
    spiked = actors["spiky"].unusual_days
    assert [(d.day, d.records) for d in spiked] == [(dt.date(2026, 10, 21), 7)]
    assert "중앙값 2건" in spiked[0].why and "3배" in spiked[0].why
    bulk = actors["bulk"].unusual_days
    assert [(d.day, d.records) for d in bulk] == [(dt.date(2026, 10, 22), 501)]
    assert "500건 초과" in bulk[0].why
    assert actors["bulk"].records == 501  # November's export is not October's
    assert report.unusual_count == 2
    # Who opened whose data: the person is named masked.
    assert {line.subject_user for line in actors["spiky"].subjects} == {"김*용", ""}


def test_staff_see_the_report_and_their_acknowledgement_is_logged(client, october):
    head = staff_user(username="head")
    client.force_login(head)
    page = client.get("/admin/privacy/access-review/?month=2026-10").content.decode()
    assert "처리자 3명, 이상 2건" in page
    assert page.count('class="unusual"') == 2
    assert "김*용" in page and "김민용" not in page
    assert "아직 확인한 사람이 없습니다." in page

    response = client.post(
        "/admin/privacy/access-review/", {"month": "2026-10", "note": "spiky 소명 요청"}
    )
    assert response.status_code == 302
    acknowledged = AccessLogReview.objects.get()
    assert (acknowledged.month, acknowledged.reviewer, acknowledged.unusual_count) == (
        OCTOBER,
        head,
        2,
    )
    logged = AuditRecord.objects.get(action="privacy.access_review.acknowledge")
    assert logged.actor == head
    assert logged.subject_id == str(acknowledged.pk)
    assert logged.data["month"] == "2026-10"
    assert {(u["actor"], u["day"]) for u in logged.data["unusual"]} == {
        ("spiky", "2026-10-21"),
        ("bulk", "2026-10-22"),
    }
    assert logged.data["note"] == "spiky 소명 요청"

    page = client.get("/admin/privacy/access-review/?month=2026-10").content.decode()
    assert "이 달의 점검을 이미 확인했습니다." in page and "spiky 소명 요청" in page

    again = client.post("/admin/privacy/access-review/", {"month": "2026-10"})
    assert again.status_code == 400
    assert "이 달의 점검은 이미 확인했습니다." in again.content.decode()
    assert AccessLogReview.objects.count() == 1


def test_a_bad_month_is_named_at_its_field(client, october):
    client.force_login(staff_user(username="head"))
    response = client.post("/admin/privacy/access-review/", {"month": "10월"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="review-month-error"' in page and "연-월로 적어 주세요" in page
    assert 'value="10월"' in page
    assert not AccessLogReview.objects.exists()
    assert not AuditRecord.objects.filter(
        action__startswith="privacy.access_review"
    ).exists()


def test_only_the_metropolitan_center_and_superusers_review(client, october):
    regional = staff_user(
        username="regional", center=Center.objects.get(region__name="동북권")
    )
    client.force_login(regional)
    refused = client.post("/admin/privacy/access-review/", {"month": "2026-10"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not AccessLogReview.objects.exists()
