"""Staff views of learning in the Wagtail admin: courses, their learners' progress and
completion, CSV/XLSX export (masked, with a reason, logged) and certificate revocation."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.courses import CoursePage, LessonPage
from core import access
from core.masking import mask_email, mask_name
from core.problems import Problem
from core.spreadsheets import csv_writer, xlsx_append
from lms.learning.models import Certificate
from lms.learning.selectors import course_learners
from lms.learning.services import certificate_revoke
from lms.privacy.models import PersonalDataAccess
from lms.privacy.services import export_start, personal_data_access_record


def _require_staff(request: HttpRequest) -> None:
    user = request.user
    if not access.is_operator(user):
        raise PermissionDenied


def _require_online_staff(request: HttpRequest) -> None:
    """Learners of the online academy are the metropolitan center's: it runs the online
    courses (as the reports count them). Staff of any other center get 404."""
    _require_staff(request)
    if not _sees_online_learners(request.user):
        raise Http404


def _sees_online_learners(user) -> bool:
    return access.sees_every_center(user)


def course_overview(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    courses = CoursePage.objects.annotate(
        enrolled=Count("enrollments", distinct=True),
        completed=Count(
            "enrollments",
            filter=Q(enrollments__completed_at__isnull=False),
            distinct=True,
        ),
    ).order_by("title")
    return TemplateResponse(
        request,
        "learning/admin/courses.html",
        {"courses": courses, "can_see_learners": _sees_online_learners(request.user)},
    )


def _rows(course: CoursePage, enrollments) -> list[dict]:
    total = LessonPage.objects.child_of(course).live().filter(required=True).count()
    rows = []
    for enrollment in enrollments:
        certificate = getattr(enrollment, "certificate", None)
        done = min(enrollment.lessons_done, total) if total else 0
        rows.append(
            {
                "name": mask_name(enrollment.user.get_full_name()),
                "email": mask_email(enrollment.user.email),
                "enrolled_at": timezone.localtime(enrollment.enrolled_at),
                "lessons": f"{done}/{total}",
                "progress": round(100 * done / total) if total else 0,
                "completed_at": enrollment.completed_at
                and timezone.localtime(enrollment.completed_at),
                "certificate": certificate,
            }
        )
    return rows


def course_learners_view(request: HttpRequest, course_id: int) -> HttpResponse:
    _require_online_staff(request)
    course = get_object_or_404(CoursePage, pk=course_id)
    page = Paginator(course_learners(course=course), 50).get_page(request.GET.get("p"))
    rows = _rows(course, page.object_list)
    personal_data_access_record(
        actor=request.user,
        action=PersonalDataAccess.Action.VIEW,
        subject=f"강의 학습자 목록: {course.title}",
        record_count=len(rows),
        request=request,
    )
    return TemplateResponse(
        request,
        "learning/admin/learners.html",
        {"course": course, "rows": rows, "page_obj": page},
    )


HEADER = [
    "성명",
    "이메일",
    "신청일",
    "이수 차시",
    "진도율(%)",
    "수료일",
    "수료증 번호",
    "수료증 상태",
]


def _export_table(rows: list[dict]) -> list[list[str]]:
    table = [HEADER]
    for row in rows:
        certificate = row["certificate"]
        table.append(
            [
                row["name"],
                row["email"],
                f"{row['enrolled_at']:%Y-%m-%d}",
                row["lessons"],
                str(row["progress"]),
                f"{row['completed_at']:%Y-%m-%d}" if row["completed_at"] else "",
                certificate.number if certificate else "",
                ("유효" if certificate.is_valid else "취소") if certificate else "",
            ]
        )
    return table


@require_POST
def course_learners_export(request: HttpRequest, course_id: int) -> HttpResponse:
    """CSV or XLSX of the learners, names and emails masked; a reason is required."""
    _require_online_staff(request)
    course = get_object_or_404(CoursePage, pk=course_id)
    reason = request.POST.get("reason", "").strip()
    file_format = request.POST.get("format", "csv")
    try:
        export_start(user=request.user, kind="", reason=reason, validate_only=True)
    except Problem as problem:
        messages.error(request, problem.detail)
        return redirect("learning_admin:learners", course_id=course.pk)
    rows = _rows(course, course_learners(course=course))
    export_start(
        user=request.user,
        kind=f"강의 학습자 목록: {course.title} ({file_format})",
        record_count=len(rows),
        reason=reason,
        request=request,
    )
    table = _export_table(rows)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "학습자"
        for line in table:
            xlsx_append(sheet, line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="learners-{course.pk}-{stamp}.xlsx"'
        )
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 Korean correctly with a BOM
    csv_writer(buffer).writerows(table)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="learners-{course.pk}-{stamp}.csv"'
    )
    return response


@require_POST
def certificate_revoke_view(request: HttpRequest, certificate_id: int) -> HttpResponse:
    _require_online_staff(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrollment"), pk=certificate_id
    )
    try:
        certificate_revoke(
            certificate=certificate,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(
            request,
            _("수료증 %(number)s을 취소했습니다.") % {"number": certificate.number},
        )
    return redirect(
        "learning_admin:learners", course_id=certificate.enrollment.course_id
    )
