"""The education report as an XLSX workbook: the same figures as the JSON, in Korean sheets."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import xlsx_append
from lms.reports.figures import breakdown_columns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def outreach_columns() -> list[tuple[str, str]]:
    return breakdown_columns("outreach")


def online_columns() -> list[tuple[str, str]]:
    return breakdown_columns("online")


def _header(sheet, values: list) -> None:
    xlsx_append(sheet, values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _widths(sheet, first: int = 24, rest: int = 14) -> None:
    sheet.column_dimensions["A"].width = first
    for index in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = rest


def sheet_title(text: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet title."""
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def report_workbook(report: dict) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = sheet_title(_("요약"))
    scope = report["center"]["name"] if report["center"] else _("전체 센터")
    xlsx_append(summary, [_("교육 실적 보고"), f"{report['period']} · {scope}"])
    summary["A1"].font = BOLD
    xlsx_append(summary, [])
    for line in report["headlines"]:
        xlsx_append(summary, [line])
    xlsx_append(summary, [])
    _header(summary, [_("찾아가는 교육"), _("값")])
    labels = dict(outreach_columns())
    labels |= {
        "trainers": _("출강 강사(명)"),
        "training_hours": _("강의 시간(시간)"),
        "sessions_per_trainer": _("강사 1인당 출강(회)"),
        "hours_per_trainer": _("강사 1인당 강의 시간(시간)"),
    }
    for key, label in labels.items():
        xlsx_append(summary, [label, report["outreach"][key]])
    xlsx_append(summary, [])
    _header(summary, [_("온라인 교육"), _("값")])
    for key, label in online_columns():
        xlsx_append(summary, [label, report["online"][key]])
    _widths(summary, first=40, rest=60)

    quarterly = book.create_sheet(sheet_title(_("분기별 실적")))
    _header(
        quarterly,
        [_("구분"), _("항목"), _("단위"), *report["quarterly"]["columns"]],
    )
    sections = {"outreach": _("찾아가는 교육"), "online": _("온라인 교육")}
    for row in report["quarterly"]["rows"]:
        xlsx_append(
            quarterly,
            [sections[row["section"]], row["label"], row["unit"], *row["values"]],
        )
    _widths(quarterly, first=16)
    quarterly.column_dimensions["B"].width = 24

    for section, columns, title in (
        ("outreach", outreach_columns(), _("찾아가는 교육")),
        ("online", online_columns(), _("온라인 교육")),
    ):
        for breakdown in report["breakdowns"][section]:
            sheet = book.create_sheet(sheet_title(f"{title} {breakdown['label']}"))
            _header(sheet, [breakdown["label"], *(label for _key, label in columns)])
            for row in breakdown["rows"]:
                xlsx_append(
                    sheet, [row["label"], *(row[key] for key, _label in columns)]
                )
            _widths(sheet)

    trainers = book.create_sheet(sheet_title(_("강사별 실적")))
    _header(trainers, [_("강사"), _("출강(회)"), _("강의 시간(시간)")])
    for row in report["trainer_load"]:
        xlsx_append(trainers, [row["trainer"], row["sessions"], row["hours"]])
    _widths(trainers, first=16)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_filename(report: dict) -> str:
    name = f"education-report-{report['year']}"
    if report["quarter"]:
        name += f"-q{report['quarter']}"
    if report["center"]:
        name += f"-center{report['center']['id']}"
    return name + ".xlsx"


def report_xlsx_response(report: dict) -> HttpResponse:
    response = HttpResponse(report_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(report)}"'
    )
    return response
