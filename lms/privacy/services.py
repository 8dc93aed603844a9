"""Writing the personal data access log. Call it wherever staff see unmasked data or export it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.problems import NotFound, PermissionDenied, Problem
from lms.privacy.models import ConsentRecord, ConsentVersion, PersonalDataAccess

if TYPE_CHECKING:  # privacy sits below accounts: the type only, never the module
    from lms.accounts.models import User


class ExportReasonRequired(Problem):
    status = 422
    type = "urn:slacademy:problem:export-reason-required"
    title = "내보내기 사유가 필요합니다."


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def personal_data_access_record(
    *,
    actor: User,
    action: str,
    subject: str,
    subject_user: User | None = None,
    record_count: int = 1,
    reason: str = "",
    request: HttpRequest | None = None,
) -> PersonalDataAccess:
    """Append one row to the access log (who, when, from where, whose data, what action)."""
    return PersonalDataAccess.objects.create(
        actor=actor,
        actor_username=actor.get_username(),
        ip_address=_client_ip(request),
        action=action,
        subject=subject[:200],
        subject_user=subject_user,
        record_count=record_count,
        reason=reason[:300],
        path=(request.path[:300] if request is not None else ""),
    )


def personal_data_list_viewed(
    *, actor: User, what: str, count: int, request: HttpRequest
) -> PersonalDataAccess:
    """One log row for a list screen that shows persons (masked or not): what list, with
    which filter (the query string), and how many persons were on the screen."""
    query = request.GET.urlencode()
    subject = f"{what} [{query}]" if query else what
    return personal_data_access_record(
        actor=actor,
        action=PersonalDataAccess.Action.VIEW,
        subject=subject,
        record_count=count,
        request=request,
    )


def consent_current(*, purpose_kind: str) -> ConsentVersion:
    """The version in force: the highest version already effective."""
    version = (
        ConsentVersion.objects.filter(
            purpose_kind=purpose_kind, effective_at__lte=timezone.now()
        )
        .order_by("-version")
        .first()
    )
    if version is None:
        raise NotFound(_("시행 중인 동의서가 없습니다."))
    return version


@transaction.atomic
def consent_record(
    *, user: User, version: ConsentVersion, request: HttpRequest | None = None
) -> ConsentRecord:
    """Record that `user` agreed to exactly this version (the wording they were shown)."""
    return ConsentRecord.objects.create(
        user=user, version=version, ip_address=_client_ip(request)
    )


EXPORT_REASON_MIN_LENGTH = 5


def _may_export(user: User) -> bool:
    return access.is_operator(user)


@transaction.atomic
def export_start(
    *,
    user: User,
    kind: str,
    reason: str,
    record_count: int = 0,
    request: HttpRequest | None = None,
    validate_only: bool = False,
) -> PersonalDataAccess | None:
    """Every bulk export of personal data starts here: a stated reason, then a log row.

    `kind` names what is exported (e.g. "outreach attendees 2026 Q1"). Raises
    PermissionDenied for anyone but center staff and superusers, and a Problem (422)
    when the reason is missing or too short. Call it before building the file; with
    `validate_only` it checks and writes nothing (when the count is known only later).
    """
    if not _may_export(user):
        raise PermissionDenied(_("개인정보를 내보낼 권한이 없습니다."))
    reason = (reason or "").strip()
    if len(reason) < EXPORT_REASON_MIN_LENGTH:
        raise ExportReasonRequired(
            _("내보내기 사유를 %(n)d자 이상 적어 주세요.")
            % {"n": EXPORT_REASON_MIN_LENGTH}
        )
    if validate_only:
        return None
    return personal_data_access_record(
        actor=user,
        action=PersonalDataAccess.Action.EXPORT,
        subject=kind,
        record_count=record_count,
        reason=reason,
        request=request,
    )
