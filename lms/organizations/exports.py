"""The evidence pack (교육 증빙 자료): a ZIP with the XLSX list of employees and their
certificates as PDFs. Built in a temporary file, one certificate at a time."""

from __future__ import annotations

import tempfile
import zipfile

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lms.accounts.models import User
from lms.learning.certificate_pdf import certificate_pdf
from lms.learning.models import Certificate
from lms.organizations import selectors
from lms.organizations.models import TrainingAssignment
from lms.privacy.models import PersonalDataAccess
from lms.privacy.services import (
    EXPORT_REASON_MIN_LENGTH,
    ExportReasonRequired,
    personal_data_access_record,
)

STATUS_LABELS = {
    selectors.NOT_STARTED: "미시작",
    selectors.IN_PROGRESS: "학습 중",
    selectors.COMPLETED: "수료",
}


def _workbook(assignment: TrainingAssignment, rows) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="수료 현황")
    sheet.append([f"{assignment.organization.name} — {assignment.course.title}"])
    sheet.append(
        [
            f"교육 연도 {assignment.year}",
            f"이수 기한 {assignment.deadline:%Y-%m-%d}",
            f"작성일 {timezone.localdate():%Y-%m-%d}",
        ]
    )
    sheet.append(
        [
            "이름",
            "이메일(마스킹)",
            "강의",
            "진도율(%)",
            "평가 점수",
            "상태",
            "수료일",
            "수료증 번호",
        ]
    )
    for row in rows:
        sheet.append(
            [
                row.name,
                row.email_masked,
                assignment.course.title,
                row.progress,
                row.test_score,
                STATUS_LABELS[row.status],
                timezone.localtime(row.completed_at).strftime("%Y-%m-%d")
                if row.completed_at
                else "",
                row.certificate_number,
            ]
        )
    return workbook


def evidence_pack_response(
    *,
    assignment: TrainingAssignment,
    user: User,
    reason: str,
    request: HttpRequest | None = None,
) -> FileResponse:
    """Ask for the reason, log the export, then stream the ZIP from a temporary file."""
    reason = (reason or "").strip()
    if len(reason) < EXPORT_REASON_MIN_LENGTH:
        raise ExportReasonRequired(
            _("내려받는 사유를 %(n)d자 이상 적어 주세요.")
            % {"n": EXPORT_REASON_MIN_LENGTH}
        )
    rows = selectors.assignment_progress(assignment=assignment)
    personal_data_access_record(
        actor=user,
        action=PersonalDataAccess.Action.EXPORT,
        subject=f"evidence pack: organization {assignment.organization_id} "
        f"course {assignment.course_id} {assignment.year}",
        record_count=len(rows),
        reason=reason,
        request=request,
    )
    base = settings.WAGTAILADMIN_BASE_URL
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        with tempfile.TemporaryFile() as xlsx:
            _workbook(assignment, rows).save(xlsx)
            xlsx.seek(0)
            with bundle.open("수료현황.xlsx", "w") as member:
                while chunk := xlsx.read(64 * 1024):
                    member.write(chunk)
        ids = [r.certificate_id for r in rows if r.certificate_id]
        for certificate in Certificate.objects.filter(pk__in=ids).order_by("number"):
            pdf = certificate_pdf(
                certificate=certificate,
                verify_url=f"{base}{certificate.get_absolute_url()}",
            )
            bundle.writestr(f"수료증/{certificate.number}.pdf", pdf)
    archive.seek(0)
    filename = f"evidence-{assignment.year}-{assignment.pk}.zip"
    return FileResponse(
        archive,
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
