"""The trainer portal: what an offer says, declining with a confirmed and required reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from lms.outreach import labels, services
from lms.outreach.models import Offer, OfferState, OutreachEvent
from tests.factories.outreach import (
    matching_request,
    staff_user,
    topic,
    trainer_profile,
)
from tests.lms.outreach.html_text import main_text

pytestmark = pytest.mark.django_db


def _offer(**request_extra) -> Offer:
    staff = staff_user()
    trainer = trainer_profile(district="노원구")
    request = matching_request(
        starts_at=(timezone.now() + dt.timedelta(days=12)).replace(
            minute=0, second=0, microsecond=0
        ),
        **request_extra,
    )
    return services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )


def test_an_offer_shows_what_where_when_for_whom_how_many_the_fee_and_deadline(client):
    offer = _offer(participants=37, address="서울특별시 성북구 보문로 99")
    client.force_login(offer.trainer.user)
    page = client.get("/outreach/trainer/").content.decode()
    card = main_text(
        page.split(f'data-offer="{offer.pk}"', 1)[1].split("</article>")[0]
    )
    assert topic().name in card
    assert "노동자" in card  # the audience, in words
    assert "37명" in card
    assert "서울특별시 성북구 보문로 99 (성북구)" in card
    assert labels.korean_datetime(offer.starts_at) in card
    assert labels.korean_datetime(offer.expires_at) in card
    shown = re.search(r"예상 강사료\s+([\d,]+)원", card)
    assert shown and "," in shown.group(1)
    # What the offer promised is what the session pays once accepted.
    session = services.offer_accept(offer_id=offer.pk, trainer_user=offer.trainer.user)
    assert shown.group(1) == f"{session.fee_amount:,}"
    assert re.search(r"\d{4,}원", main_text(page)) is None  # no unseparated sums


def test_declining_asks_first_and_requires_a_reason_kept_on_error(client):
    offer = _offer()
    client.force_login(offer.trainer.user)
    url = f"/outreach/trainer/offers/{offer.pk}/decline/"
    assert url in client.get("/outreach/trainer/").content.decode()
    confirm = client.get(url).content.decode()
    assert "이 강의 제안을 거절할까요?" in confirm
    assert offer.request.organization_name in confirm
    assert Offer.objects.get(pk=offer.pk).state == OfferState.OFFERED  # asked only

    for blank in ("", "   "):
        refused = client.post(url, {"reason": blank})
        assert refused.status_code == 200  # the page again, with its errors
        html = refused.content.decode()
        assert (
            '<p class="error" id="id_reason-error">거절 사유를 입력해 주세요.</p>'
            in html
        )
        assert 'aria-describedby="id_reason-hint id_reason-error"' in html
        assert 'href="#id_reason"' in html  # the summary leads to the field
    too_long = "가" * 2001
    kept = client.post(url, {"reason": too_long}).content.decode()
    assert too_long in kept  # nothing typed is lost
    assert Offer.objects.get(pk=offer.pk).state == OfferState.OFFERED

    done = client.post(url, {"reason": "  같은 날 다른 강의가 있습니다  "})
    assert done.status_code == 302 and done["Location"] == "/outreach/trainer/"
    assert Offer.objects.get(pk=offer.pk).state == OfferState.DECLINED
    event = OutreachEvent.objects.filter(offer=offer).latest("pk")
    assert event.note == "같은 날 다른 강의가 있습니다"
    # Answered: the page is gone, and the portal no longer shows the offer.
    assert client.get(url).status_code == 404
    assert (
        f'data-offer="{offer.pk}"'
        not in client.get("/outreach/trainer/").content.decode()
    )


def test_another_trainers_offer_cannot_be_declined(client):
    offer = _offer()
    client.force_login(trainer_profile().user)
    url = f"/outreach/trainer/offers/{offer.pk}/decline/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "남의 제안"}).status_code == 404
    assert Offer.objects.get(pk=offer.pk).state == OfferState.OFFERED


def test_the_api_refuses_a_decline_without_a_reason(client):
    offer = _offer()
    client.force_login(offer.trainer.user)
    url = f"/api/v1/outreach/offers/{offer.pk}/decline"
    refused = client.post(url, {"reason": " "}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "거절 사유를 입력해 주세요."
    assert Offer.objects.get(pk=offer.pk).state == OfferState.OFFERED
