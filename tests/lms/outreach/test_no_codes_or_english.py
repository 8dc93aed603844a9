"""Show 4 of issue 14: no stored code and no English string of ours on the staff request
detail, the queue or the trainer pages.

The pages are rendered over data that reaches every state a request and an offer show
there; their visible text (text nodes, labels read aloud) is scanned for every value of
the choices of the models these pages show, the codes stored without model choices
(organization kind, accessibility needs), and any English word."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from lms.accounts.models import Organization
from lms.outreach import services
from lms.outreach.models import Accessibility, RequestState
from tests.factories.outreach import (
    application,
    matching_request,
    staff_user,
    trainer_profile,
)
from tests.lms.outreach.html_text import main_text

pytestmark = pytest.mark.django_db

APPS = ("outreach", "trainers", "accounts", "centers")
# Abbreviations a Korean reader reads as such: the QR sheet and file formats.
ALLOWED_LATIN = {"QR", "XLSX", "PDF", "DOCX", "HWP", "HWPX", "JPG", "PNG", "PPTX"}
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+")


def choice_codes() -> set[str]:
    codes: set[str] = {*Organization.Kind.values, *Accessibility.values}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.Field) and field.choices:
                    codes |= {
                        str(value) for value, _ in field.flatchoices if value != ""
                    }
    return codes


def leaks(text: str, codes: set[str]) -> list[str]:
    found = [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
    words = re.findall(r"[A-Za-z][A-Za-z_]+", EMAIL_OR_URL.sub(" ", text))
    return sorted(set(found) | {w for w in words if w not in ALLOWED_LATIN})


def test_the_scan_itself_catches_a_code_and_an_english_word():
    codes = choice_codes()
    assert {"step_free", "community", "under_review", "declined", "senior"} <= codes
    assert leaks("상태: under_review", codes) == ["under_review"]
    assert leaks("There are no 기관", codes) == ["There", "are", "no"]
    assert leaks("연락처 contact@example.org · QR 시트 · 수어 통역", codes) == []


@pytest.fixture
def story():
    """Requests in every state the queue lists, one of them taken to matching with
    a declined offer and a live one, and a trainer with an offer, an upcoming and a
    past session."""
    staff = staff_user()
    accessibility = sorted(Accessibility.values)
    detail, _ = services.request_submit(
        data=application(
            organization_kind=Organization.Kind.COMMUNITY,
            accessibility=accessibility,
            language="베트남어",
            audience="youth",
            notes="엘리베이터가 있습니다.",
        )
    )
    services.request_review(request_id=detail.pk, actor=staff)
    services.request_ask_info(request_id=detail.pk, actor=staff, question="장소 층수?")
    # The answer puts the request back under review.
    services.request_answer(token=detail.public_token, answer="3층입니다.")
    services.request_approve(request_id=detail.pk, actor=staff)
    declining, holding = trainer_profile(), trainer_profile(district="노원구")
    trainer_profile(district="강남구")
    first = services.offer_create(
        request_id=detail.pk, trainer_id=declining.pk, actor=staff
    )
    services.offer_decline(
        offer_id=first.pk, trainer_user=declining.user, reason="선약이 있습니다."
    )
    services.offer_create(request_id=detail.pk, trainer_id=holding.pk, actor=staff)
    for kind in Organization.Kind.values:
        rejected, _ = services.request_submit(data=application(organization_kind=kind))
    services.request_reject(request_id=rejected.pk, actor=staff, reason="정원 초과")

    now = timezone.now()
    past = matching_request(starts_at=now - dt.timedelta(days=2))
    upcoming = matching_request(starts_at=now + dt.timedelta(days=20))
    for request in (past, upcoming):
        offer = services.offer_create(
            request_id=request.pk, trainer_id=holding.pk, actor=staff
        )
        services.offer_accept(offer_id=offer.pk, trainer_user=holding.user)
        services.request_confirm(request_id=request.pk, actor=staff)
    waiting = matching_request(starts_at=now + dt.timedelta(days=30))
    offer = services.offer_create(
        request_id=waiting.pk, trainer_id=holding.pk, actor=staff
    )
    return {"staff": staff, "detail": detail, "trainer": holding, "offer": offer}


def test_no_code_or_english_on_the_detail_the_queue_or_the_trainer_pages(client, story):
    codes = choice_codes()
    client.force_login(story["staff"])
    pages = {f"/admin/outreach/{story['detail'].pk}/": None}
    pages["/admin/outreach/"] = None
    for state in RequestState.values:
        pages[f"/admin/outreach/?state={state}"] = None
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = leaks(main_text(response.content.decode()), codes)
    client.force_login(story["trainer"].user)
    for url in (
        "/outreach/trainer/",
        f"/outreach/trainer/offers/{story['offer'].pk}/decline/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = leaks(main_text(response.content.decode()), codes)
    refused = client.post(
        f"/outreach/trainer/offers/{story['offer'].pk}/decline/", {"reason": ""}
    )
    pages["decline refused"] = leaks(main_text(refused.content.decode()), codes)
    assert {url: found for url, found in pages.items() if found} == {}
    # The pages had something to say: the detail's history and candidates, the portal's
    # offer and both kinds of session.
    detail = main_text(client.get("/outreach/trainer/").content.decode())
    assert "지난 교육" in detail and "다가오는 교육" in detail


def test_every_choice_we_own_has_a_korean_label():
    hangul = re.compile(r"[가-힣]")
    english = {
        f"{model.__name__}.{field.name}={value}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.Field) and field.choices
        for value, text in field.flatchoices
        if value != "" and not hangul.search(str(text))
    }
    assert english == set()
