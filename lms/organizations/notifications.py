"""The Korean emails of the organization portal: invitations and training reminders."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from lms.organizations.models import Invitation, TrainingReminder


def join_url(invitation: Invitation) -> str:
    path = reverse("orgportal:join", args=[invitation.token])
    return absolute_url(path)


def invitation_email(*, invitation_id: int) -> bool:
    invitation = Invitation.objects.select_related("organization").get(pk=invitation_id)
    if not invitation.email or invitation.accepted_at or invitation.revoked_at:
        return False
    body = _(
        "%(name)s님, 안녕하세요.\n\n"
        "%(org)s에서 서울노동아카데미의 법정의무교육(온라인)에 초대했습니다.\n"
        "아래 주소에서 회원가입 또는 로그인한 뒤 기관에 참여하면 배정된 강의가 "
        "내 강의실에 추가됩니다.\n\n%(url)s\n\n"
        "본인이 아니라면 이 메일을 무시해 주세요."
    ) % {
        "name": invitation.name,
        "org": invitation.organization.name,
        "url": join_url(invitation),
    }
    EmailMessage(
        subject=_("[서울노동아카데미] %(org)s 법정의무교육 초대")
        % {"org": invitation.organization.name},
        body=body,
        to=[invitation.email],
    ).send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


def reminder_email(*, reminder_id: int) -> bool:
    reminder = TrainingReminder.objects.select_related(
        "assignment__organization", "assignment__course", "user"
    ).get(pk=reminder_id)
    user = reminder.user
    if not user.email:
        return False
    assignment = reminder.assignment
    course_url = absolute_url(assignment.course.url or "/courses/")
    body = _(
        "%(name)s님, 안녕하세요.\n\n"
        "%(org)s에서 배정한 「%(course)s」 교육을 아직 수료하지 않았습니다.\n"
        "이수 기한: %(deadline)s\n\n"
        "아래 주소에서 이어서 학습하고 평가를 마치면 수료증이 발급됩니다.\n%(url)s"
    ) % {
        "name": user.get_full_name() or user.get_username(),
        "org": assignment.organization.name,
        "course": assignment.course.title,
        "deadline": assignment.deadline.strftime("%Y-%m-%d"),
        "url": course_url,
    }
    EmailMessage(
        subject=_("[서울노동아카데미] 법정의무교육 이수 안내 — %(course)s")
        % {"course": assignment.course.title},
        body=body,
        to=[user.email],
    ).send()
    return True
