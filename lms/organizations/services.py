"""What happens in the organization portal: invitations (link and CSV), joining,
statutory training assignments with enrollment, and reminders. One function per operation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.courses import Category, CoursePage
from core import audit
from core.problems import Conflict, NotFound, Problem
from core.tasks import enqueue_on_commit
from core.types import date_in_range, date_in_range_message
from lms.accounts.models import Organization, User
from lms.learning.services import enrollment_create
from lms.organizations import selectors
from lms.organizations.models import (
    Employee,
    Invitation,
    TrainingAssignment,
    TrainingReminder,
)
from lms.organizations.tasks import send_invitation, send_training_reminder

CSV_MAX_ROWS = 2000
CSV_MAX_BYTES = 1024 * 1024
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,18}[0-9]$")
_HEADERS = {
    "name": "name",
    "이름": "name",
    "성명": "name",
    "email": "email",
    "이메일": "email",
    "전자우편": "email",
    "phone": "phone",
    "휴대전화": "phone",
    "전화번호": "phone",
    "연락처": "phone",
}


def invitation_link_get(*, organization: Organization, by: User) -> Invitation:
    """The organization's shared invitation link, made on first use."""
    existing = selectors.open_invitation_link(organization=organization)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Invitation.objects.create(organization=organization, created_by=by)
    except IntegrityError:  # made by a concurrent request
        return selectors.open_invitation_link(organization=organization)


@dataclass
class CsvRowError:
    line: int
    message: str


@dataclass
class CsvImportResult:
    created: list[Invitation] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    errors: list[CsvRowError] = field(default_factory=list)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):  # Excel in Korea saves CSV as CP949
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Problem(
        _("CSV 파일의 글자 인코딩을 읽을 수 없습니다. UTF-8로 저장해 주세요.")
    )


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    lines = [(reader.line_num, row) for row in reader]
    lines = [(n, row) for n, row in lines if any(cell.strip() for cell in row)]
    if not lines:
        return []
    first = [cell.strip().lower() for cell in lines[0][1]]
    if any(cell in _HEADERS for cell in first):
        columns = [_HEADERS.get(cell, "") for cell in first]
        lines = lines[1:]
    else:
        columns = ["name", "email", "phone"]
    out = []
    for number, row in lines:
        values = {}
        for index, cell in enumerate(row):
            if index < len(columns) and columns[index]:
                values[columns[index]] = cell.strip()
        out.append((number, values))
    return out


def invitations_import_csv(
    *, organization: Organization, by: User, content: bytes
) -> CsvImportResult:
    """Invite the people of a CSV (name, email[, phone]); each gets an email.

    Bad rows are reported with their line number and a Korean reason; good rows are
    invited all the same. An email already invited or already an employee is not
    invited twice, so uploading the same file again changes nothing.
    """
    if len(content) > CSV_MAX_BYTES:
        raise Problem(_("CSV 파일은 1MB 이하여야 합니다."))
    rows = _rows(_decode(content))
    if not rows:
        raise Problem(_("CSV 파일에 초대할 사람이 없습니다."))
    if len(rows) > CSV_MAX_ROWS:
        raise Problem(
            _("한 번에 %(n)d명까지 초대할 수 있습니다.") % {"n": CSV_MAX_ROWS}
        )
    result = CsvImportResult()
    invited = set(
        Invitation.objects.filter(organization=organization)
        .exclude(email="")
        .annotate(lower=Lower("email"))
        .values_list("lower", flat=True)
    )
    members = set(
        Employee.objects.filter(organization=organization)
        .annotate(lower=Lower("user__email"))
        .values_list("lower", flat=True)
    )
    seen: set[str] = set()
    with transaction.atomic():
        for line, values in rows:
            name = values.get("name", "")
            email = values.get("email", "")
            phone = values.get("phone", "")
            problems = []
            if not name:
                problems.append(_("이름이 비어 있습니다."))
            elif len(name) > 50:
                problems.append(_("이름은 50자 이하여야 합니다."))
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    _("이메일 주소가 올바르지 않습니다: “%(email)s”")
                    % {"email": email[:80]}
                )
            if phone and not _PHONE.match(phone):
                problems.append(
                    _("휴대전화 번호가 올바르지 않습니다: “%(phone)s”")
                    % {"phone": phone[:30]}
                )
            key = email.lower()
            if not problems and key in seen:
                problems.append(_("같은 파일에 이미 있는 이메일입니다."))
            if problems:
                result.errors.append(CsvRowError(line=line, message=" ".join(problems)))
                continue
            seen.add(key)
            if key in invited or key in members:
                result.already.append(email)
                continue
            invitation = Invitation.objects.create(
                organization=organization,
                name=name,
                email=email,
                phone=phone,
                created_by=by,
            )
            result.created.append(invitation)

            enqueue_on_commit(send_invitation, invitation.pk)
    return result


def invitation_by_token(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("organization")
        .first()
    )
    if invitation is None:
        raise NotFound(_("초대 링크가 올바르지 않거나 취소되었습니다."))
    return invitation


def invitation_accept(*, token: str, user: User) -> Employee:
    """Join the inviting organization and enroll in its current assignments.

    Joining again is harmless; a personal invitation used by someone else, or a person
    who already belongs to another organization, is refused.
    """
    invitation = invitation_by_token(token=token)
    organization = invitation.organization
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        existing = Employee.objects.filter(user=user).first()
        if existing is not None and existing.organization_id != organization.pk:
            raise Conflict(
                _(
                    "이미 다른 기관(%(org)s)에 소속되어 있습니다. 담당자에게 문의해 주세요."
                )
                % {"org": existing.organization}
            )
        if (
            not invitation.is_link
            and invitation.accepted_by_id is not None
            and invitation.accepted_by_id != user.pk
        ):
            raise Conflict(
                _("이미 사용된 초대입니다. 담당자에게 새 초대를 요청해 주세요.")
            )
        employee = existing or Employee.objects.create(
            organization=organization, user=user, invitation=invitation
        )
        if not invitation.is_link and invitation.accepted_at is None:
            invitation.accepted_by = user
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_by", "accepted_at"])
            if invitation.phone and not user.phone:
                User.objects.filter(pk=user.pk).update(phone=invitation.phone)
        for assignment in _current_assignments(organization=organization):
            enrollment_create(user=user, course=assignment.course)
    return employee


def _current_assignments(*, organization: Organization) -> list[TrainingAssignment]:
    today = timezone.localdate()
    return list(
        selectors.assignments_of(organization=organization).filter(year__gte=today.year)
    )


def assignment_create(
    *,
    organization: Organization,
    course: CoursePage,
    deadline: dt.date,
    by: User,
    year: int | None = None,
) -> TrainingAssignment:
    """Assign a statutory course for a year; every employee is enrolled in it."""
    if not course.live:
        raise NotFound(_("강의를 찾을 수 없습니다."))
    if course.category != Category.STATUTORY:
        raise Problem(_("법정의무교육 강의만 배정할 수 있습니다."))
    if not date_in_range(deadline):
        raise Problem(date_in_range_message())
    year = year or deadline.year
    if deadline.year != year:
        raise Problem(_("이수 기한은 교육 연도 안의 날짜여야 합니다."))
    with transaction.atomic():
        assignment, created = TrainingAssignment.objects.get_or_create(
            organization=organization,
            course=course,
            year=year,
            defaults={"deadline": deadline, "created_by": by},
        )
        if not created:
            raise Conflict(
                _("이 강의는 %(year)d년에 이미 배정했습니다.") % {"year": year}
            )
        for employee in selectors.employees_of(organization=organization):
            enrollment_create(user=employee.user, course=course)
        audit.record(
            actor=by,
            action="organizations.assignment.create",
            subject=assignment,
            summary=f"{organization} · {course.title} · {deadline:%Y-%m-%d}",
        )
    return assignment


REMINDER_INTERVAL_DAYS = 1


@dataclass
class ReminderResult:
    sent: int
    skipped: int  # reminded already today


def reminders_send(
    *, assignment: TrainingAssignment, by: User, now: dt.datetime | None = None
) -> ReminderResult:
    """Remind, by email, the employees who have not completed the course; each employee
    at most once a day per assignment."""
    today = timezone.localdate(now or timezone.now())
    sent = skipped = 0
    with transaction.atomic():
        for user in selectors.incomplete_users(assignment=assignment):
            try:
                with transaction.atomic():
                    reminder = TrainingReminder.objects.create(
                        assignment=assignment, user=user, sent_on=today
                    )
            except IntegrityError:
                skipped += 1
                continue

            enqueue_on_commit(send_training_reminder, reminder.pk)
            sent += 1
    return ReminderResult(sent=sent, skipped=skipped)
