"""E-mails of outreach: receipts, questions, decisions, offers, confirmations with an
iCalendar invitation, reminders and drop-outs.

Services never send mail themselves: they call `queue(kind, pk)`, which hands the work to
Celery once their transaction commits (`lms.outreach.tasks.notify`). A builder below turns
a primary key into the messages to send; the worker sends each one as its own task that
retries with backoff while the mail server refuses, so an outage delays mail and loses
none, and one recipient's retry never sends another's message twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from core.links import absolute_url
from core.tasks import enqueue_on_commit
from core.time import SEOUL
from lms.accounts.models import Role, User
from lms.outreach.models import (
    Offer,
    OfferState,
    OutreachEvent,
    OutreachRequest,
    OutreachSession,
    RequestState,
)


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    to: tuple[str, ...]
    ics: bytes | None = None


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
    # The trainer's portal holds the details, the attendance sheet and the report.
    event.add("url", absolute_url(reverse("outreach:portal")))
    organizer = vCalAddress(
        f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('>')}"
    )
    event.add("organizer", organizer)
    for email in (session.trainer.user.email, request.contact_email):
        if email:
            event.add("attendee", vCalAddress(f"mailto:{email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def _mail(subject: str, body: str, to, ics: bytes | None = None) -> list[Mail]:
    to = tuple(a for a in to if a)
    return [Mail(subject=subject, body=body, to=to, ics=ics)] if to else []


def follow_up_url(request: OutreachRequest) -> str:
    return absolute_url(reverse("outreach:follow_up", args=[request.public_token]))


def _center_staff_emails(request: OutreachRequest) -> list[str]:
    emails = list(
        User.objects.filter(role=Role.STAFF, center=request.center, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return emails or ([request.center.email] if request.center.email else [])


def receipt(request_id: int) -> list[Mail]:
    request = OutreachRequest.objects.get(pk=request_id)
    return _mail(
        _("[서울노동아카데미] 찾아가는 노동교육 신청이 접수되었습니다"),
        _("신청 번호 %(id)s. 진행 상황 확인·보완·취소: %(url)s")
        % {"id": request.pk, "url": follow_up_url(request)},
        [request.contact_email],
    )


def question(request_id: int) -> list[Mail]:
    request = OutreachRequest.objects.get(pk=request_id)
    return _mail(
        _("[서울노동아카데미] 신청 내용 보완을 요청드립니다"),
        _("센터의 질문: %(q)s\n답변하기: %(url)s")
        % {"q": request.staff_question, "url": follow_up_url(request)},
        [request.contact_email],
    )


def decision(request_id: int) -> list[Mail]:
    request = OutreachRequest.objects.get(pk=request_id)
    return _mail(
        _("[서울노동아카데미] 신청 결과: %(state)s")
        % {"state": request.get_state_display()},
        _("%(reason)s\n%(url)s")
        % {"reason": request.decision_reason, "url": follow_up_url(request)},
        [request.contact_email],
    )


def offer(offer_id: int) -> list[Mail]:
    offer = Offer.objects.select_related("trainer__user", "request").get(pk=offer_id)
    return _mail(
        _("[서울노동아카데미] 강의 제안이 도착했습니다"),
        _(
            "%(org)s, %(when)s. %(expires)s까지 강사 포털에서 수락 또는 거절해 주세요: %(url)s"
        )
        % {
            "org": offer.request.organization_name,
            "when": _local(offer.starts_at),
            "expires": _local(offer.expires_at),
            "url": absolute_url(reverse("outreach:portal")),
        },
        [offer.trainer.user.email],
    )


def offer_outcome(offer_id: int) -> list[Mail]:
    """To the center's staff: a trainer accepted, declined, or let the offer expire."""
    offer = Offer.objects.select_related("trainer__user", "request__center").get(
        pk=offer_id
    )
    if offer.state == OfferState.ACCEPTED:
        body = _(
            "%(trainer)s 강사가 제안을 수락했습니다. 관리자 화면에서 교육을 확정해 주세요."
        )
    else:
        body = _(
            "%(trainer)s 강사의 제안이 '%(state)s' 상태가 되었습니다. 다른 강사를 섭외해 주세요."
        )
    return _mail(
        _("[서울노동아카데미] 강의 제안 %(state)s: 신청 #%(id)s")
        % {"state": offer.get_state_display(), "id": offer.request_id},
        body % {"trainer": offer.trainer.user, "state": offer.get_state_display()},
        _center_staff_emails(offer.request),
    )


def confirmation(session_id: int) -> list[Mail]:
    session = OutreachSession.objects.select_related("trainer__user", "request").get(
        pk=session_id
    )
    ics = session_icalendar(session)
    body = _("교육이 확정되었습니다. %(when)s, %(place)s") % {
        "when": _local(session.starts_at),
        "place": session.request.address,
    }
    subject = _("[서울노동아카데미] 찾아가는 노동교육 확정 안내")
    return [
        *_mail(subject, body, [session.trainer.user.email], ics),
        *_mail(subject, body, [session.request.contact_email], ics),
    ]


def reminder(session_id: int) -> list[Mail]:
    session = OutreachSession.objects.select_related("trainer__user", "request").get(
        pk=session_id
    )
    body = _("곧 교육이 있습니다. %(when)s, %(place)s") % {
        "when": _local(session.starts_at),
        "place": session.request.address,
    }
    return _mail(
        _("[서울노동아카데미] 교육 일정 알림"),
        body,
        [session.trainer.user.email, session.request.contact_email],
    )


def drop_out(event_id: int) -> list[Mail]:
    """The assigned trainer can no longer come: the organization and the staff are told."""
    event = OutreachEvent.objects.select_related("request__center").get(pk=event_id)
    request = event.request
    to_contact = _mail(
        _("[서울노동아카데미] 강사 일정 변경 안내: 신청 #%(id)s") % {"id": request.pk},
        _(
            "배정되었던 강사가 사정으로 교육에 올 수 없게 되어, 센터가 다른 강사를 "
            "다시 섭외하고 있습니다. 교육 일시는 그대로입니다. 진행 상황: %(url)s"
        )
        % {"url": follow_up_url(request)},
        [request.contact_email],
    )
    to_staff = _mail(
        _("[서울노동아카데미] 강사 불참: 신청 #%(id)s 다시 섭외 필요")
        % {"id": request.pk},
        _("%(org)s, %(when)s 교육의 강사가 불참을 알렸습니다. 사유: %(why)s")
        % {
            "org": request.organization_name,
            "when": _local(request.starts_at),
            "why": event.note,
        },
        _center_staff_emails(request),
    )
    return [*to_contact, *to_staff]


BUILDERS: dict[str, Callable[[int], list[Mail]]] = {
    "receipt": receipt,
    "question": question,
    "decision": decision,
    "offer": offer,
    "offer_outcome": offer_outcome,
    "confirmation": confirmation,
    "reminder": reminder,
    "drop_out": drop_out,
}
DECISION_STATES = frozenset(
    {
        RequestState.APPROVED,
        RequestState.REJECTED,
        RequestState.CANCELLED,
        RequestState.UNFILLED,
    }
)


def messages_of(kind: str, pk: int) -> list[Mail]:
    return BUILDERS[kind](pk)


def deliver(kind: str, pk: int, index: int) -> None:
    """Send one message; an SMTP failure is raised, for the task to retry."""
    mails = messages_of(kind, pk)
    if index >= len(mails):
        return  # the recipients changed since it was queued: nothing left to send
    mail = mails[index]
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=list(mail.to),
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    if mail.ics is not None:
        message.attach(
            "invite.ics", mail.ics, "text/calendar; method=REQUEST; charset=utf-8"
        )
    message.send()


def queue(kind: str, pk: int) -> None:
    """Send `kind` about row `pk` through the worker once the transaction commits."""
    # Late: tasks.py imports the services, which import this module.
    from lms.outreach.tasks import notify

    if kind not in BUILDERS:
        raise ValueError(kind)
    enqueue_on_commit(notify, kind, pk)
