"""Every allowed transition works and is logged; every other is refused."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.problems import Conflict
from lms.outreach import services, states
from lms.outreach.models import (
    Offer,
    OfferState,
    OutreachEvent,
    OutreachRequest,
    RequestState,
)
from tests.factories.outreach import (
    application,
    matching_request,
    staff_user,
    trainer_profile,
)

pytestmark = pytest.mark.django_db

REQUEST_PAIRS = [(a, b) for a in RequestState.values for b in RequestState.values]
OFFER_PAIRS = [(a, b) for a in OfferState.values for b in OfferState.values]


@pytest.fixture
def submitted():
    request, _ = services.request_submit(data=application())
    return request


@pytest.mark.parametrize(("source", "target"), REQUEST_PAIRS)
def test_request_transition_allowed_or_refused(submitted, source, target):
    # A bare request holds no facts: no slot, no trainer, no attendance, no report.
    OutreachRequest.objects.filter(pk=submitted.pk).update(state=source)
    submitted.refresh_from_db()
    in_table = target in states.REQUEST_TRANSITIONS[source]
    needs_a_fact = target in states.REQUEST_GUARDS and target != RequestState.MATCHING
    before = OutreachEvent.objects.count()
    if in_table and not needs_a_fact:
        services.request_set_state(request=submitted, to=target, note="t")
        submitted.refresh_from_db()
        assert submitted.state == target
        event = OutreachEvent.objects.latest("pk")
        assert (event.from_state, event.to_state) == (source, target)
    else:
        with pytest.raises(Conflict) as refused:
            services.request_set_state(request=submitted, to=target)
        if in_table:  # refused for the missing fact, and it says which
            assert refused.value.detail == states.REQUEST_GUARDS[target](submitted)
        submitted.refresh_from_db()
        assert submitted.state == source
        assert OutreachEvent.objects.count() == before


@pytest.mark.parametrize(("source", "target"), OFFER_PAIRS)
def test_offer_transition_allowed_or_refused(source, target):
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=3))
    start = request.starts_at
    offer = Offer.objects.create(
        request=request,
        trainer=trainer,
        state=source,
        starts_at=start,
        ends_at=request.ends_at,
        blocked_from=start,
        blocked_until=request.ends_at,
        expires_at=start,
    )
    allowed = target in states.OFFER_TRANSITIONS[source]
    if allowed:
        services.offer_set_state(offer=offer, to=target)
        offer.refresh_from_db()
        assert offer.state == target
        event = OutreachEvent.objects.filter(offer=offer).latest("pk")
        assert (event.from_state, event.to_state) == (source, target)
    else:
        with pytest.raises(Conflict):
            services.offer_set_state(offer=offer, to=target)
        assert not OutreachEvent.objects.filter(offer=offer).exists()


def test_whole_life_of_a_request_through_the_services(
    django_capture_on_commit_callbacks,
):
    staff = staff_user()
    trainer = trainer_profile()
    with django_capture_on_commit_callbacks(execute=True):
        request, created = services.request_submit(
            data=application(), idempotency_key="k1"
        )
    assert created and mail.outbox[-1].to == ["contact@example.org"]
    again, created = services.request_submit(data=application(), idempotency_key="k1")
    assert again.pk == request.pk and not created

    services.request_review(request_id=request.pk, actor=staff)
    services.request_ask_info(
        request_id=request.pk, actor=staff, question="장소에 빔프로젝터가 있나요?"
    )
    services.request_answer(token=request.public_token, answer="네, 있습니다.")
    services.request_approve(request_id=request.pk, actor=staff)
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    session = services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    assert OutreachRequest.objects.get(pk=request.pk).state == RequestState.ASSIGNED
    assert not [m for m in mail.outbox if m.attachments]  # staff confirm first
    with django_capture_on_commit_callbacks(execute=True):
        services.request_confirm(request_id=request.pk, actor=staff)
    invites = [m for m in mail.outbox if m.attachments]
    assert {m.to[0] for m in invites} == {trainer.user.email, "contact@example.org"}
    from icalendar import Calendar

    event = Calendar.from_ical(invites[0].attachments[0][1]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == request.preferred_slots.first().starts_at

    later = session.starts_at + dt.timedelta(hours=1)
    services.attendance_report(
        session_id=session.pk, trainer_user=trainer.user, attendees=18, now=later
    )
    services.attendance_confirm(token=request.public_token, attendees=17)
    services.lecture_report_submit(
        session_id=session.pk, trainer_user=trainer.user, report="근로기준법 기초 강의"
    )
    services.request_close(request_id=request.pk, actor=staff)
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED
    path = list(request.events.filter(offer=None).values_list("to_state", flat=True))
    assert path == [
        "submitted",
        "under_review",
        "needs_info",
        "under_review",
        "approved",
        "matching",
        "assigned",
        "confirmed",
        "delivered",
        "reported",
        "closed",
    ]


def test_staff_of_another_center_cannot_see_the_request(submitted):
    from lms.centers.models import Center

    other = staff_user(
        username="seonam", center=Center.objects.get(region__name="서남권")
    )
    from core.problems import NotFound

    with pytest.raises(NotFound):
        services.request_review(request_id=submitted.pk, actor=other)
    assert submitted.center.region.name == "동북권"


def test_offers_expire_and_staff_are_told(django_capture_on_commit_callbacks):
    from lms.centers.models import Center

    staff = staff_user(
        username="dongbukstaff", center=Center.objects.get(region__name="동북권")
    )
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=3))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        expired = services.offers_expire(now=offer.expires_at + dt.timedelta(seconds=1))
    assert expired == 1
    offer.refresh_from_db()
    assert offer.state == OfferState.EXPIRED
    assert mail.outbox[-1].to == [staff.email]
    # The slot is free again: another offer for the same request goes through.
    again = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    assert again.state == OfferState.OFFERED


def test_reminders_go_once_to_trainer_and_organization(
    django_capture_on_commit_callbacks,
):
    from django.conf import settings

    staff = staff_user()
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(hours=30))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=request.pk, actor=staff)
    far = matching_request(starts_at=timezone.now() + dt.timedelta(days=9))
    offer = services.offer_create(request_id=far.pk, trainer_id=trainer.pk, actor=staff)
    services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    services.request_confirm(request_id=far.pk, actor=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert mail.outbox[0].to == [trainer.user.email, "contact@example.org"]
    beat = settings.CELERY_BEAT_SCHEDULE
    assert (
        beat["outreach-send-reminders"]["task"] == "lms.outreach.tasks.send_reminders"
    )
    assert beat["outreach-expire-offers"]["task"] == "lms.outreach.tasks.expire_offers"


def test_an_offer_past_its_deadline_cannot_be_accepted():
    from lms.outreach.models import Offer

    staff = staff_user()
    trainer = trainer_profile()
    request = matching_request(starts_at=timezone.now() + dt.timedelta(days=3))
    offer = services.offer_create(
        request_id=request.pk, trainer_id=trainer.pk, actor=staff
    )
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now())
    with pytest.raises(Conflict):
        services.offer_accept(offer_id=offer.pk, trainer_user=trainer.user)
    request.refresh_from_db()
    assert request.state == RequestState.MATCHING
    assert not request.offers.get().events.filter(to_state="accepted").exists()
    assert OutreachRequest.objects.get(pk=request.pk).state == RequestState.MATCHING
