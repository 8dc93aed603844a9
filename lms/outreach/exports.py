"""The monthly lecture-fee payout workbook as a download: a stated reason, then the
file, with the export in the personal data access log. Trainer names are masked unless
the staff member asks for them (to pay them); the log row says which was given."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from lms.accounts.models import User
from lms.outreach import selectors
from lms.privacy.services import export_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def payout_xlsx_response(
    *,
    user: User,
    year: int,
    month: int,
    reason: str,
    request: HttpRequest,
    full_names: bool = False,
) -> HttpResponse:
    """The workbook as an attachment. Raises ExportReasonRequired (422) without a
    reason of at least EXPORT_REASON_MIN_LENGTH characters; nothing is built then."""
    export_start(user=user, kind="outreach payouts", reason=reason, validate_only=True)
    content, count = selectors.payout_workbook(
        user=user, year=year, month=month, full_names=full_names
    )
    names = "full trainer names" if full_names else "masked trainer names"
    export_start(
        user=user,
        kind=f"outreach payouts {year}-{month:02d} ({names})",
        reason=reason,
        record_count=count,
        request=request,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="payouts-{year}-{month:02d}.xlsx"'
    )
    return response
