"""Public pages, the trainer portal, the attendee survey and the staff admin screens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.centers.models import Center, District
from lms.outreach import services
from lms.outreach.models import OutreachRequest, RequestState
from lms.privacy.models import PersonalDataAccess
from lms.surveys.models import SurveyResponse
from lms.trainers.models import MaterialRevision, TrainerProfile
from tests.factories.outreach import (
    application,
    matching_request,
    staff_user,
    topic,
    trainer_profile,
)

pytestmark = pytest.mark.django_db


def _form(**extra):
    day = timezone.localdate() + dt.timedelta(days=15)
    data = {
        "idempotency_key": "form-key-1",
        "organization_name": "노원 청년회",
        "organization_kind": "community",
        "contact_name": "윤담당",
        "contact_phone": "010-1111-2222",
        "contact_email": "yoon@example.org",
        "participants": "12",
        "address": "서울특별시 노원구 1",
        "district": District.objects.get(name="노원구").pk,
        "topics": [topic().pk],
        "audience": "youth",
        "slot1_date": day.isoformat(),
        "slot1_start": "10:00",
        "slot1_end": "12:00",
    }
    data.update(extra)
    return data


def test_application_shows_korean_errors_and_a_resubmission_is_one_request(client):
    response = client.post(
        "/outreach/apply/",
        _form(participants="3", contact_email="nope", slot1_end="09:00"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "참여 인원은 10명 이상이어야 합니다." in body
    assert "올바른 이메일 주소를 입력해 주세요." in body
    assert "종료 시각은 시작 시각보다 늦어야 합니다." in body
    missing = client.post("/outreach/apply/", _form(topics=[], organization_name=""))
    assert "교육 주제를 하나 이상 골라 주세요." in missing.content.decode()
    assert "이 항목을 입력해 주세요." in missing.content.decode()
    assert not OutreachRequest.objects.exists()

    first = client.post("/outreach/apply/", _form())
    second = client.post("/outreach/apply/", _form())
    assert first.status_code == 302 and first["Location"] == second["Location"]
    request = OutreachRequest.objects.get()
    assert request.center.name == "동북권 노동자종합지원센터"
    assert first["Location"] == f"/outreach/requests/{request.public_token}/"


def test_follow_up_page_answers_a_question_and_cancels():
    from django.test import Client

    client = Client()
    staff = staff_user()
    request, _ = services.request_submit(data=application())
    services.request_review(request_id=request.pk, actor=staff)
    services.request_ask_info(
        request_id=request.pk, actor=staff, question="주차가 되나요?"
    )
    url = f"/outreach/requests/{request.public_token}/"
    page = client.get(url).content.decode()
    assert "주차가 되나요?" in page and "보완 요청" in page
    client.post(url, {"action": "answer", "answer": "네, 가능합니다."})
    request.refresh_from_db()
    assert request.state == RequestState.UNDER_REVIEW
    assert request.applicant_answer == "네, 가능합니다."
    client.post(url, {"action": "withdraw", "reason": "일정 변경"})
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
    assert "신청 취소" not in client.get(url).content.decode().split("</dl>")[1]


def test_follow_up_says_received_keeps_the_address_and_lists_readable_slots(client):
    start = dt.datetime(2030, 3, 8, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    request, _ = services.request_submit(data=application(starts_at=start))
    url = f"/outreach/requests/{request.public_token}/"
    page = client.get(url).content.decode()
    assert "접수되었습니다. 이 주소를 저장하세요." in page
    assert f'value="http://testserver{url}"' in page
    assert "2030년 3월 8일 (금) 14:00 ~ 16:00" in page
    # Cancelling is possible but is not the page's main button.
    assert page.index("<summary>신청을 취소하려면</summary>") < page.index(
        "신청 취소</button>"
    )


def test_organization_contact_sees_own_requests_or_an_empty_state(client):
    from lms.accounts.models import Role
    from tests.factories import OrganizationFactory, UserFactory

    mine, other = OrganizationFactory(), OrganizationFactory()
    contact = UserFactory(role=Role.ORG_CONTACT, organization=mine)
    client.force_login(contact)
    assert "아직 신청한 찾아가는 노동교육이 없습니다." in (
        client.get("/outreach/my/").content.decode()
    )
    ours, _ = services.request_submit(data=application(), organization=mine)
    theirs, _ = services.request_submit(
        data=application(organization_name="다른 곳"),
        organization=other,
        idempotency_key="other",
    )
    page = client.get("/outreach/my/").content.decode()
    assert f'href="/outreach/requests/{ours.public_token}/">#{ours.pk}</a>' in page
    assert str(theirs.public_token) not in page
    assert "<td>접수</td>" in page
    assert "아직 신청한" not in page


def _delivered_session():
    staff = staff_user()
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() - dt.timedelta(hours=3))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    session = services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=request.pk, actor=staff)
    return staff, trainer, request, session


def test_survey_sheet_and_qr_one_answer_per_code(client):
    from django.test import Client

    from lms.outreach.survey_codes import survey_codes

    _staff, _trainer, request, session = _delivered_session()
    follow_up = client.get(
        f"/outreach/requests/{request.public_token}/"
    ).content.decode()
    sheet_url = f"/outreach/requests/{request.public_token}/survey-sheet/"
    assert sheet_url in follow_up
    codes = survey_codes(session)
    assert codes[0] in client.get(sheet_url).content.decode()
    survey_url = f"/outreach/survey/{session.survey_token}/"
    qr = client.get(f"{survey_url}qr.svg", {"code": codes[0]})
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    assert (
        client.post(
            survey_url, {"score": "5", "comment": "유익했어요", "code": codes[0]}
        ).status_code
        == 200
    )
    assert client.post(survey_url, {"score": "1", "code": codes[0]}).status_code == 409
    Client().post(survey_url, {"score": "4", "code": codes[1]})
    assert sorted(SurveyResponse.objects.values_list("score", flat=True)) == [4, 5]
    assert (
        client.get("/outreach/survey/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_portal_attendance_report_with_an_approved_material_revision(client):
    staff, trainer, request, session = _delivered_session()
    client.force_login(trainer.user)
    page = client.get("/outreach/trainer/").content.decode()
    assert request.organization_name in page
    upload = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides v1", "application/pdf")
    client.post(
        "/outreach/trainer/action/",
        {"action": "material", "title": "근로기준법 기초", "file": upload},
    )
    upload2 = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides v2", "application/pdf")
    client.post(
        "/outreach/trainer/action/",
        {"action": "material", "title": "근로기준법 기초", "file": upload2},
    )
    v1, v2 = MaterialRevision.objects.order_by("number")
    assert (v1.number, v2.number) == (1, 2) and v1.material_id == v2.material_id
    assert v2.document.collection.get_parent().name == "강의 자료"
    assert v2.status == MaterialRevision.Status.PENDING

    client.post(
        "/outreach/trainer/action/",
        {"action": "attendance", "session": session.pk, "attendees": "21"},
    )
    # A pending revision is refused; the staff approve v2 in the admin; then it is recorded.
    client.post(
        "/outreach/trainer/action/",
        {
            "action": "report",
            "session": session.pk,
            "report": "잘 끝남",
            "revision": v2.pk,
        },
    )
    session.refresh_from_db()
    assert session.report_submitted_at is None
    client.force_login(staff)
    client.post("/admin/outreach/materials/", {"revision": v2.pk, "action": "approve"})
    v2.refresh_from_db()
    assert v2.status == MaterialRevision.Status.APPROVED and v2.reviewed_by == staff
    client.force_login(trainer.user)
    client.post(
        "/outreach/trainer/action/",
        {
            "action": "report",
            "session": session.pk,
            "report": "잘 끝남",
            "revision": v2.pk,
        },
    )
    session.refresh_from_db()
    assert session.attendees_reported == 21
    assert session.material_revision == v2
    request.refresh_from_db()
    assert request.state == RequestState.REPORTED


def test_portal_availability_forms(client):
    trainer = trainer_profile(always_available=False)
    client.force_login(trainer.user)
    client.post(
        "/outreach/trainer/action/",
        {
            "action": "weekly",
            "weekday": "2",
            "start_time": "19:00",
            "end_time": "00:00",
        },
    )
    client.post(
        "/outreach/trainer/action/",
        {
            "action": "weekly",
            "weekday": "2",
            "start_time": "12:00",
            "end_time": "09:00",
        },
    )
    client.post(
        "/outreach/trainer/action/",
        {"action": "exception", "date": "2027-03-03", "note": "휴가"},
    )
    assert list(
        trainer.weekly_availability.values_list("weekday", "start_time", "end_time")
    ) == [(2, dt.time(19), dt.time(0))]
    assert trainer.availability_exceptions.get().date == dt.date(2027, 3, 3)


def test_admin_queue_is_per_center_masks_contacts_and_batch_decides(client):
    dongbuk = staff_user(
        username="dongbuk", center=Center.objects.get(region__name="동북권")
    )
    seonam = staff_user(
        username="seonam", center=Center.objects.get(region__name="서남권")
    )
    mine = [services.request_submit(data=application())[0] for _ in range(3)]
    theirs, _ = services.request_submit(data=application(district="구로구"))
    client.force_login(dongbuk)
    page = client.get("/admin/outreach/").content.decode()
    assert all(f"#{r.pk}<" in page for r in mine) and f"#{theirs.pk}<" not in page
    assert "최담당" not in page and "최*" in page
    response = client.post(
        "/admin/outreach/batch/",
        {
            "ids": [mine[0].pk, mine[1].pk, theirs.pk],
            "decision": "reject",
            "reason": "정원 초과",
        },
    )
    assert response.status_code == 302
    states = {r.pk: r.state for r in OutreachRequest.objects.all()}
    assert states[mine[0].pk] == states[mine[1].pk] == RequestState.REJECTED
    assert states[theirs.pk] == RequestState.SUBMITTED
    assert states[mine[2].pk] == RequestState.SUBMITTED
    detail = client.get(f"/admin/outreach/{mine[2].pk}/")
    assert detail.status_code == 200
    assert PersonalDataAccess.objects.filter(actor=dongbuk, action="view").exists()
    client.force_login(seonam)
    assert client.get(f"/admin/outreach/{mine[2].pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/trainers/",
        "/admin/trainer-qualifications/",
        "/admin/outreach/materials/",
    ],
)
def test_staff_admin_screens_of_the_pool_open(client, url):
    trainer_profile()
    client.force_login(staff_user())
    assert client.get(url).status_code == 200


def test_queue_query_count_stays_flat(client, django_assert_max_num_queries):
    staff = staff_user()
    client.force_login(staff)
    for _ in range(3):
        services.request_submit(data=application())
    client.get("/admin/outreach/")  # warm Wagtail's per-process caches
    with django_assert_max_num_queries(25) as few:
        client.get("/admin/outreach/")
    for _ in range(12):
        services.request_submit(data=application())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/admin/outreach/")
    assert page.content.decode().count('name="ids"') == 15


def test_seed_demo_gives_every_outreach_screen_something(client):
    from lms.demo.services import seed_demo

    seed_demo()
    seed_demo()
    trainer = TrainerProfile.objects.get(user__username="trainer")
    assert TrainerProfile.objects.count() == 5
    assert trainer.weekly_availability.count() == 6
    states = set(
        OutreachRequest.objects.filter(
            organization__contacts__username="org"
        ).values_list("state", flat=True)
    )
    assert states == {"submitted", "under_review", "matching", "confirmed"}
    client.force_login(trainer.user)
    page = client.get("/outreach/trainer/").content.decode()
    assert "받은 강의 제안" in page
    assert trainer.offers.filter(state="offered").count() == 1
    # One session ahead, one behind whose attendance (then report) the trainer gives.
    now = timezone.now()
    past = trainer.sessions.get(starts_at__lt=now)
    upcoming = trainer.sessions.get(starts_at__gt=now)
    assert past.request.state == upcoming.request.state == "confirmed"
    assert past.request.created_at < past.starts_at
    behind = page.split('id="past-h"', 1)[1]
    assert f'data-session="{past.pk}"' in behind
    assert f'data-session="{upcoming.pk}"' not in behind
    assert "1단계: 출석 보고" in behind


def test_portal_availability_reads_as_hours_and_a_slot_is_removed(client):
    trainer = trainer_profile(always_available=False)
    client.force_login(trainer.user)
    for weekday, start, end in [("5", "00:00", "00:00"), ("4", "18:00", "00:00")]:
        client.post(
            "/outreach/trainer/action/",
            {
                "action": "weekly",
                "weekday": weekday,
                "start_time": start,
                "end_time": end,
            },
        )
    page = client.get("/outreach/trainer/").content.decode()
    assert "토요일 종일" in page and "금요일 18:00~24:00" in page
    assert "00:00~00:00" not in page

    saturday = trainer.weekly_availability.get(weekday=5)
    client.post(
        "/outreach/trainer/action/", {"action": "remove_weekly", "slot": saturday.pk}
    )
    assert list(trainer.weekly_availability.values_list("weekday", flat=True)) == [4]
    assert "토요일 종일" not in client.get("/outreach/trainer/").content.decode()
