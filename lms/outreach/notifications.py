"""Emails of outreach: receipts, questions, offers, confirmations with an iCalendar invitation."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from lms.outreach.models import OutreachRequest, OutreachSession
from lms.trainers.selectors import SEOUL

logger = logging.getLogger(__name__)


def _local(moment) -> str:
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def session_icalendar(session: OutreachSession) -> bytes:
    request = session.request
    calendar = Calendar()
    calendar.add("prodid", "-//Seoul Labor Academy//Outreach//KO")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"outreach-session-{session.pk}@slacademy.kr")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(SEOUL))
    event.add("dtend", session.ends_at.astimezone(SEOUL))
    event.add(
        "summary", _("찾아가는 노동교육 — %(org)s") % {"org": request.organization_name}
    )
    event.add("location", vText(request.address))
    event.add("description", ", ".join(t.name for t in request.topics.all()))
    organizer = vCalAddress(
        f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('>')}"
    )
    event.add("organizer", organizer)
    for email in (session.trainer.user.email, request.contact_email):
        if email:
            event.add("attendee", vCalAddress(f"mailto:{email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def _send(subject: str, body: str, to: list[str], ics: bytes | None = None) -> None:
    to = [a for a in to if a]
    if not to:
        return
    message = EmailMessage(subject=subject, body=body, to=to)
    if ics is not None:
        message.attach(
            "invite.ics", ics, "text/calendar; method=REQUEST; charset=utf-8"
        )
    try:
        message.send()
    except Exception:  # noqa: BLE001 - a mail outage must not fail the booking itself
        logger.exception("Outreach email to %s failed: %s", to, subject)


def follow_up_url(request: OutreachRequest) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}/outreach/requests/{request.public_token}/"


def send_receipt(request_id: int) -> None:
    request = OutreachRequest.objects.get(pk=request_id)
    _send(
        _("[서울노동아카데미] 찾아가는 노동교육 신청이 접수되었습니다"),
        _("신청 번호 %(id)s. 진행 상황 확인·보완·취소: %(url)s")
        % {"id": request.pk, "url": follow_up_url(request)},
        [request.contact_email],
    )


def send_question(request_id: int) -> None:
    request = OutreachRequest.objects.get(pk=request_id)
    _send(
        _("[서울노동아카데미] 신청 내용 보완을 요청드립니다"),
        _("센터의 질문: %(q)s\n답변하기: %(url)s")
        % {"q": request.staff_question, "url": follow_up_url(request)},
        [request.contact_email],
    )


def send_decision(request_id: int) -> None:
    request = OutreachRequest.objects.get(pk=request_id)
    _send(
        _("[서울노동아카데미] 신청 결과: %(state)s")
        % {"state": request.get_state_display()},
        _("%(reason)s\n%(url)s")
        % {"reason": request.decision_reason, "url": follow_up_url(request)},
        [request.contact_email],
    )


def send_offer(offer_id: int) -> None:
    from lms.outreach.models import Offer

    offer = Offer.objects.select_related("trainer__user", "request").get(pk=offer_id)
    _send(
        _("[서울노동아카데미] 강의 제안이 도착했습니다"),
        _(
            "%(org)s, %(when)s. %(expires)s까지 강사 포털에서 수락 또는 거절해 주세요: %(url)s"
        )
        % {
            "org": offer.request.organization_name,
            "when": _local(offer.starts_at),
            "expires": _local(offer.expires_at),
            "url": f"{settings.WAGTAILADMIN_BASE_URL}/outreach/trainer/",
        },
        [offer.trainer.user.email],
    )


def _center_staff_emails(request: OutreachRequest) -> list[str]:
    from lms.accounts.models import Role, User

    emails = list(
        User.objects.filter(role=Role.STAFF, center=request.center, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return emails or ([request.center.email] if request.center.email else [])


def send_offer_outcome_to_staff(offer_id: int) -> None:
    from lms.outreach.models import Offer

    offer = Offer.objects.select_related("trainer__user", "request__center").get(
        pk=offer_id
    )
    _send(
        _("[서울노동아카데미] 강의 제안 %(state)s: 신청 #%(id)s")
        % {"state": offer.get_state_display(), "id": offer.request_id},
        _(
            "%(trainer)s 강사의 제안이 '%(state)s' 상태가 되었습니다. 다른 강사를 섭외해 주세요."
        )
        % {"trainer": offer.trainer.user, "state": offer.get_state_display()},
        _center_staff_emails(offer.request),
    )


def send_confirmation(session_id: int) -> None:
    session = OutreachSession.objects.select_related("trainer__user", "request").get(
        pk=session_id
    )
    ics = session_icalendar(session)
    body = _("교육이 확정되었습니다. %(when)s, %(place)s") % {
        "when": _local(session.starts_at),
        "place": session.request.address,
    }
    subject = _("[서울노동아카데미] 찾아가는 노동교육 확정 안내")
    _send(subject, body, [session.trainer.user.email], ics)
    _send(subject, body, [session.request.contact_email], ics)


def send_reminder(session_id: int) -> None:
    session = OutreachSession.objects.select_related("trainer__user", "request").get(
        pk=session_id
    )
    body = _("곧 교육이 있습니다. %(when)s, %(place)s") % {
        "when": _local(session.starts_at),
        "place": session.request.address,
    }
    _send(
        _("[서울노동아카데미] 교육 일정 알림"),
        body,
        [session.trainer.user.email, session.request.contact_email],
    )
