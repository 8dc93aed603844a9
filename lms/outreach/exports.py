"""The monthly lecture-fee payout workbook as a download, with its access logged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from lms.accounts.models import User
from lms.outreach import selectors
from lms.privacy.services import personal_data_access_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def payout_xlsx_response(
    *, user: User, year: int, month: int, request: HttpRequest
) -> HttpResponse:
    content, count = selectors.payout_workbook(user=user, year=year, month=month)
    personal_data_access_record(
        actor=user,
        action="export",
        subject=f"outreach payouts {year}-{month:02d}",
        record_count=count,
        request=request,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="payouts-{year}-{month:02d}.xlsx"'
    )
    return response
