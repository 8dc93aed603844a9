"""A confirmed trainer who drops out sends the request back to matching; staff cannot
claim facts that did not happen; outreach mail survives a mail server that refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditRecord
from core.problems import Conflict, Problem
from lms.outreach import services
from lms.outreach.models import (
    Offer,
    OfferState,
    OutreachSession,
    RequestState,
)
from lms.outreach.notifications import _center_staff_emails
from tests.factories.outreach import matching_request, staff_user, trainer_profile
from tests.smtp import smtp_server, use_smtp

pytestmark = pytest.mark.django_db


def _confirmed(*, days: float = 5):
    staff = staff_user()
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=days))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=request.pk, actor=staff)
    return staff, trainer, request, offer


def test_a_trainer_who_drops_out_from_the_portal_sends_the_request_back_to_matching(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    staff, trainer, request, offer = _confirmed()
    local = staff_user(username="local-staff", center=request.center)
    session = OutreachSession.objects.get(request=request)
    client.force_login(trainer.user)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/outreach/trainer/action/",
            {"action": "drop_out", "session": session.pk, "reason": "가족 병간호"},
        )

    assert answer.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.MATCHING
    assert not OutreachSession.objects.filter(request=request).exists()
    assert Offer.objects.get(pk=offer.pk).state == OfferState.WITHDRAWN
    assert request.starts_at is not None  # the date the organization asked for stays
    center_staff = set(_center_staff_emails(request))
    assert local.email in center_staff
    to_contact = [m for m in mailoutbox if m.to == ["contact@example.org"]]
    to_staff = [m for m in mailoutbox if set(m.to) == center_staff]
    assert len(to_contact) == 1 and "다시 섭외" in to_contact[0].body
    assert len(to_staff) == 1 and "가족 병간호" in to_staff[0].body
    assert request.events.latest("pk").to_state == RequestState.MATCHING
    # The trainer's time is free again: the same slot can be offered to another.
    other = trainer_profile(username="second-trainer")
    again = services.offer_create(
        request_id=request.pk, trainer_id=other.pk, actor=staff
    )
    assert again.state == OfferState.OFFERED


def test_staff_record_a_drop_out_through_the_api_with_a_reason(client):
    staff, trainer, request, _offer = _confirmed()
    client.force_login(staff)
    url = f"/api/v1/outreach/requests/{request.pk}/transitions"

    no_reason = client.post(url, {"to": "matching"}, content_type="application/json")
    assert no_reason.status_code == 400
    done = client.post(
        url, {"to": "matching", "reason": "강사 사고"}, content_type="application/json"
    )

    assert done.status_code == 200 and done.json()["state"] == "matching"
    assert AuditRecord.objects.filter(
        action="outreach.request.matching", actor=staff, subject_id=str(request.pk)
    ).exists()


def test_no_drop_out_once_the_session_has_begun():
    staff, trainer, request, _offer = _confirmed(days=1)
    request.starts_at = timezone.now() - dt.timedelta(minutes=5)
    request.save(update_fields=["starts_at"])

    with pytest.raises(Conflict):
        services.trainer_drop_out(request_id=request.pk, actor=trainer.user, reason="x")


def test_another_trainer_cannot_drop_someone_elses_session():
    _staff, _trainer, request, _offer = _confirmed()
    stranger = trainer_profile(username="stranger")

    with pytest.raises(Problem) as refused:
        services.trainer_drop_out(
            request_id=request.pk, actor=stranger.user, reason="x"
        )
    assert refused.value.status == 404
    request.refresh_from_db()
    assert request.state == RequestState.CONFIRMED


@pytest.mark.parametrize(
    ("source", "to", "fact"),
    [
        ("matching", "assigned", "강사가 제안을 수락하면"),
        ("assigned", "confirmed", "강사가 제안을 수락한 뒤에만"),
        ("confirmed", "delivered", "출석을 보고하면"),
        ("delivered", "reported", "강의 보고서를 내면"),
        ("reported", "closed", "출석 확인 후에"),
    ],
)
def test_row09_staff_cannot_claim_a_state_without_its_fact(client, source, to, fact):
    """Issue 17 row 9: staff moved a request matching → assigned → confirmed →
    delivered → reported with no offer, trainer or session. Each step now answers 409
    naming the fact it lacks, whatever state the request was left in."""
    staff = staff_user()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=3))
    type(request).objects.filter(pk=request.pk).update(state=source)
    client.force_login(staff)

    answer = client.post(
        f"/api/v1/outreach/requests/{request.pk}/transitions",
        {"to": to},
        content_type="application/json",
    )

    assert answer.status_code == 409, answer.content
    assert fact in answer.json()["detail"]
    request.refresh_from_db()
    assert request.state == source


def test_an_offer_mail_waits_out_a_refusing_mail_server_and_arrives_once(
    settings, django_capture_on_commit_callbacks
):
    """The mail server refuses twice (451): the task retries, and the offer arrives
    exactly once; the booking itself was saved before any mail was tried."""
    staff = staff_user()
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=3))
    with smtp_server(refuse_first=2) as server:
        use_smtp(settings, server)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            offer = services.offer_create(
                request_id=request.pk, trainer_id=trainer.pk, actor=staff
            )
        assert (
            server.received == [] and server.refused == 0
        )  # nothing sent in the request
        for callback in queued:
            callback()

    assert server.refused == 2
    offers = [m for m in server.received if trainer.user.email in m["To"]]
    assert len(offers) == 1
    assert "강의 제안" in offers[0]["Subject"]
    assert Offer.objects.get(pk=offer.pk).state == OfferState.OFFERED


def test_mail_tasks_retry_on_smtp_errors_with_backoff():
    from lms.outreach.tasks import send_mail

    assert send_mail.autoretry_for and send_mail.retry_backoff
    assert send_mail.max_retries >= 100  # an outage of a day or two loses nothing
