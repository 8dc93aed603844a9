"""The evidence pack (교육 증빙 자료): a ZIP with the XLSX list of employees and their
certificates as PDFs, and the tamper-evident training records (lms.records): each
employee's records with their hashes, and the head of each chain they are in, verified
at the time of download. Built in a temporary file, one certificate at a time."""

from __future__ import annotations

import json
import tempfile
import zipfile

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.links import absolute_url
from core.spreadsheets import xlsx_append
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
from lms.records import selectors as records

STATUS_LABELS = {
    selectors.NOT_STARTED: "미시작",
    selectors.IN_PROGRESS: "학습 중",
    selectors.COMPLETED: "수료",
}


def _records_sheet(workbook: Workbook, rows, evidence: records.Evidence) -> None:
    sheet = workbook.create_sheet(title="훈련 기록")
    xlsx_append(
        sheet, ["기록 체인(해시 연결)", "연도", "마지막 순번", "머리 해시", "검증"]
    )
    for state in evidence.chains:
        chain = state.chain
        xlsx_append(
            sheet,
            [chain.label, chain.year, chain.head_seq, chain.head_hash, state.status],
        )
    if not evidence.chains:
        xlsx_append(sheet, ["이 기관의 기록 체인이 아직 없습니다."])
    xlsx_append(sheet, [])
    xlsx_append(
        sheet,
        [
            "이름",
            "연도",
            "순번",
            "종류",
            "일시",
            "정책 버전",
            "해시",
            "내용(정규화 JSON)",
        ],
    )
    for row in rows:
        for record in evidence.records_of(row.user_id):
            xlsx_append(
                sheet,
                [
                    row.name,
                    record.chain.year,
                    record.seq,
                    record.get_kind_display(),
                    timezone.localtime(record.appended_at).strftime("%Y-%m-%d %H:%M"),
                    records.policy_of(record) or "해당 없음",
                    record.hash,
                    record.payload,
                ],
            )


def _records_json(assignment: TrainingAssignment, rows, evidence) -> bytes:
    names = {row.user_id: row.name for row in rows}
    document = {
        "organization": assignment.organization_id,
        "course": assignment.course_id,
        "year": assignment.year,
        "hash": "sha256(prev_hash || payload), UTF-8, prev_hash hex; 64 zeros first",
        "chains": [
            {
                "chain": state.chain.scope,
                "year": state.chain.year,
                "head_seq": state.chain.head_seq,
                "head_hash": state.chain.head_hash,
                "verified": state.broken is None,
                "status": state.status,
            }
            for state in evidence.chains
        ],
        "employees": [
            {
                "name": names[learner_id],
                "learner": learner_id,
                "records": [
                    {
                        "chain": record.chain.scope,
                        "seq": record.seq,
                        "kind": record.kind,
                        "policy": records.policy_of(record) or None,
                        "prev_hash": record.prev_hash,
                        "hash": record.hash,
                        "payload": record.payload,
                    }
                    for record in evidence.records_of(learner_id)
                ],
            }
            for learner_id in names
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _workbook(assignment: TrainingAssignment, rows) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="수료 현황")
    xlsx_append(sheet, [f"{assignment.organization.name} — {assignment.course.title}"])
    xlsx_append(
        sheet,
        [
            f"교육 연도 {assignment.year}",
            f"이수 기한 {assignment.deadline:%Y-%m-%d}",
            f"작성일 {timezone.localdate():%Y-%m-%d}",
        ],
    )
    xlsx_append(
        sheet,
        [
            "이름",
            "이메일(마스킹)",
            "강의",
            "진도율(%)",
            "평가 점수",
            "상태",
            "수료일",
            "수료증 번호",
        ],
    )
    for row in rows:
        xlsx_append(
            sheet,
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
            ],
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
    evidence = records.organization_evidence(
        organization_id=assignment.organization_id,
        course_id=assignment.course_id,
        learner_ids=[row.user_id for row in rows],
        year=assignment.year,
    )
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        with tempfile.TemporaryFile() as xlsx:
            workbook = _workbook(assignment, rows)
            _records_sheet(workbook, rows, evidence)
            workbook.save(xlsx)
            xlsx.seek(0)
            with bundle.open("수료현황.xlsx", "w") as member:
                while chunk := xlsx.read(64 * 1024):
                    member.write(chunk)
        ids = [r.certificate_id for r in rows if r.certificate_id]
        for certificate in Certificate.objects.filter(pk__in=ids).order_by("number"):
            pdf = certificate_pdf(
                certificate=certificate,
                verify_url=absolute_url(certificate.get_absolute_url()),
            )
            bundle.writestr(f"수료증/{certificate.number}.pdf", pdf)
        bundle.writestr("훈련기록.json", _records_json(assignment, rows, evidence))
    archive.seek(0)
    filename = f"evidence-{assignment.year}-{assignment.pk}.zip"
    return FileResponse(
        archive,
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
