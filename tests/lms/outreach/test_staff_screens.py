"""The staff screens read as Korean: labels for codes, the queue newest first with its
filters and search, and the candidate list without those who declined, saying why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.time import SEOUL
from lms.centers.models import Center, District
from lms.outreach import services
from lms.outreach.models import Accessibility, OutreachRequest
from tests.factories.outreach import (
    application,
    matching_request,
    staff_user,
    trainer_profile,
)
from tests.lms.outreach.html_text import main_text

pytestmark = pytest.mark.django_db


def test_request_detail_speaks_korean_for_every_code(client):
    staff = staff_user()
    request, _ = services.request_submit(
        data=application(
            organization_kind="community",
            accessibility=[Accessibility.STEP_FREE, Accessibility.SIGN_LANGUAGE],
            audience="youth",
        )
    )
    services.request_review(request_id=request.pk, actor=staff)
    client.force_login(staff)
    text = main_text(client.get(f"/admin/outreach/{request.pk}/").content.decode())
    assert "지역·시민단체" in text and "community" not in text
    assert "수어 통역, 휠체어 접근(계단 없는 장소)" in text
    assert "step_free" not in text and "sign_language" not in text
    assert "청소년·청년" in text
    # The history names states, not codes.
    assert "신청 접수" in text and "접수 → 검토 중" in text
    assert "submitted" not in text and "under_review" not in text


def _at(request: OutreachRequest, moment: dt.datetime) -> OutreachRequest:
    OutreachRequest.objects.filter(pk=request.pk).update(created_at=moment)
    return request


def _rows(client, **params) -> list[int]:
    page = client.get("/admin/outreach/", params).content.decode()
    return [
        int(chunk.split('"', 1)[0]) for chunk in page.split('name="ids" value="')[1:]
    ]


def test_queue_is_newest_first_and_filters_by_state_center_district_date_and_words(
    client,
):
    staff = staff_user()
    day = dt.datetime(2026, 11, 2, 10, tzinfo=SEOUL)
    old = _at(services.request_submit(data=application())[0], day)
    middle = _at(
        services.request_submit(
            data=application(district="구로구", organization_name="구로 청소년센터")
        )[0],
        day + dt.timedelta(days=10),
    )
    new = _at(
        services.request_submit(data=application(contact_name="한새봄"))[0],
        day + dt.timedelta(days=20),
    )
    services.request_review(request_id=middle.pk, actor=staff)
    client.force_login(staff)

    assert _rows(client) == [new.pk, middle.pk, old.pk]
    assert _rows(client, state="under_review") == [middle.pk]
    assert _rows(client, state="submitted") == [new.pk, old.pk]
    guro = District.objects.get(name="구로구")
    assert _rows(client, district=guro.pk) == [middle.pk]
    assert _rows(client, center=guro.region.centers.get().pk) == [middle.pk]
    # Dates are days in Seoul, both ends included.
    assert _rows(client, date_from="2026-11-12", date_to="2026-11-12") == [middle.pk]
    assert _rows(client, date_to="2026-11-12") == [middle.pk, old.pk]
    assert _rows(client, q="청소년") == [middle.pk]
    assert _rows(client, q="한새") == [new.pk]
    assert _rows(client, q=f"#{old.pk}") == [old.pk]

    wrong = client.get(
        "/admin/outreach/", {"date_from": "2026-11-20", "date_to": "2026-11-01"}
    ).content.decode()
    assert "끝 날짜가 시작 날짜보다 앞섭니다." in wrong
    assert 'value="2026-11-20"' in wrong  # what was typed stays in the field


def test_center_staff_choose_only_among_their_own_centers(client):
    dongbuk = Center.objects.get(region__name="동북권")
    client.force_login(staff_user(username="dongbuk", center=dongbuk))
    page = client.get("/admin/outreach/").content.decode()
    select = page.split('id="id_center"', 1)[1].split("</select>", 1)[0]
    assert dongbuk.name in select and "서남권" not in select


def test_candidates_drop_who_declined_and_say_why_in_plain_korean(client):
    staff = staff_user()
    first, second = trainer_profile(), trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=9))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=first.pk, actor=staff
    )
    services.offer_decline(offer_id=offer.pk, trainer_user=first.user, reason="선약")
    client.force_login(staff)
    page = client.get(f"/admin/outreach/{request.pk}/").content.decode()
    offer_buttons = page.split('name="trainer" value="')[1:]
    assert [int(b.split('"', 1)[0]) for b in offer_buttons] == [second.pk]
    excluded = page.split(f'data-excluded="{first.pk}"', 1)[1].split("</li>", 1)[0]
    assert "이 신청의 제안을 거절했습니다." in excluded
    text = main_text(page)
    assert "제외된 강사 1명과 그 이유" in text
    assert "이번 달 0회 강의해" in text and "가중치 몫" not in text
    assert "대비 부족" not in text


def _delivered_for_payout(name: str):
    staff = staff_user()
    trainer = trainer_profile()
    trainer.user.name = name
    trainer.user.save()
    start = timezone.now() - dt.timedelta(hours=3)
    request = matching_request(starts_at=start)
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    session = services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=request.pk, actor=staff)
    services.attendance_report(
        session_id=session.pk, trainer_user=trainer.user, attendees=15
    )
    return staff, session, start.astimezone(SEOUL)


def _sheet_rows(response):
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_payout_download_masks_names_unless_asked_with_a_reason_and_logs_which(client):
    from lms.privacy.models import PersonalDataAccess

    staff, session, local = _delivered_for_payout("박노무")
    client.force_login(staff)
    url = "/admin/outreach/payouts/"
    month = {"year": local.year, "month": local.month}

    refused = client.post(url, {**month, "full_names": "on", "reason": ""})
    assert refused.status_code == 200 and "내보내기 사유를 적어 주세요." in (
        refused.content.decode()
    )
    assert f'value="{local.year}"' in refused.content.decode()  # kept
    assert not PersonalDataAccess.objects.filter(action="export").exists()

    masked = _sheet_rows(client.post(url, {**month, "reason": "월말 정산 검토"}))
    assert masked[0][3] == "강사"
    assert masked[1][3] != "박노무" and masked[1][3].startswith("박")
    assert masked[1][7] == session.fee_amount

    full = _sheet_rows(
        client.post(url, {**month, "full_names": "on", "reason": "강사료 지급 처리"})
    )
    assert full[1][3] == "박노무" and full[1][7] == session.fee_amount

    logs = list(PersonalDataAccess.objects.filter(action="export").order_by("pk"))
    assert [(log.reason, log.actor_id, log.record_count) for log in logs] == [
        ("월말 정산 검토", staff.pk, 1),
        ("강사료 지급 처리", staff.pk, 1),
    ]
    assert "masked" in logs[0].subject and "full" in logs[1].subject


def test_dashboard_panel_counts_todays_work_of_the_staff_members_centers(client):
    from lms.outreach.selectors import OFFER_DUE_SOON_HOURS

    dongbuk = staff_user(
        username="dongbuk", center=Center.objects.get(region__name="동북권")
    )
    services.request_submit(data=application())
    services.request_submit(data=application(district="구로구"))  # another center's
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=9))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer_profile().pk, actor=dongbuk
    )
    client.force_login(dongbuk)

    def panel():
        page = client.get("/admin/").content.decode()
        return main_text(page.split("data-outreach-today", 1)[1].split("</ul>\n", 1)[0])

    shown = panel()
    assert "검토를 기다리는 새 신청 1건" in shown  # 구로구's is not theirs
    assert "24시간 안에 응답 기한이 끝나는 제안 0건" in shown
    # The offer's deadline comes within a day: it is listed with its request.
    from lms.outreach.models import Offer

    Offer.objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() + dt.timedelta(hours=OFFER_DUE_SOON_HOURS - 2)
    )
    shown = panel()
    assert "24시간 안에 응답 기한이 끝나는 제안 1건" in shown
    assert f"#{request.pk} {request.organization_name}" in shown
    # Learners and trainers do not get the panel.
    client.force_login(offer.trainer.user)
    assert "data-outreach-today" not in client.get("/admin/").content.decode()
