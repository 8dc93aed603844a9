"""Pages of learning outside the page tree: 내 강의실, enrollment, test, survey, certificates."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError as PydanticValidationError

from cms.courses import CoursePage, CourseQuestion, LessonPage
from core.links import absolute_url
from core.masking import mask_name
from core.problems import Problem
from lms.learning import selectors, services
from lms.learning.api import HeartbeatIn
from lms.learning.certificate_pdf import certificate_pdf, qr_svg
from lms.learning.forms import CertificateLookupForm
from lms.learning.models import Certificate, Enrollment


def _live_course(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live().public(), pk=course_id)


def _own_enrollment(request: HttpRequest, course_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("course", "user"),
        user=request.user,
        course_id=course_id,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/dashboard.html",
        {"dashboard": selectors.dashboard_for(user=request.user)},
    )


@login_required
@require_POST
def enroll(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _live_course(course_id)
    services.enrollment_create(user=request.user, course=course)
    messages.success(request, _("수강 신청을 마쳤습니다. 첫 차시부터 시작해 보세요."))
    return redirect(course.get_url(request))


# A page being hidden sends at most the beats it had queued.
MAX_BEACON_BEATS = 50


@login_required
@require_POST
def heartbeat_beacon(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The last beats of a page being hidden, sent by navigator.sendBeacon.

    A beacon cannot carry headers, so it comes as a form (with the CSRF token field)
    holding the same JSON beats the API takes.
    """
    # A beacon is rare (a page being hidden): ask for the lesson even with no beats.
    get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        raw = json.loads(request.POST.get("beats", "[]"))
    except ValueError:
        raw = None
    if not isinstance(raw, list):
        return JsonResponse({"detail": _("잘못된 요청입니다.")}, status=400)
    # Each beat is read by the API's own schema (the same bounds and types); a bad one
    # is refused by itself and the good ones around it are still kept.
    refused = 0
    for item in raw[:MAX_BEACON_BEATS]:
        try:
            beat = HeartbeatIn.model_validate(item)
        except PydanticValidationError:
            refused += 1
            continue
        try:
            services.heartbeat_record(
                user=request.user,
                lesson_id=lesson_id,
                session_id=beat.session_id,
                seq=beat.seq,
                ranges=[list(pair) for pair in beat.ranges],
                position=beat.position,
                playback_rate=beat.playback_rate,
            )
        except Problem as problem:
            return JsonResponse({"detail": problem.detail}, status=problem.status)
    if refused:
        detail = _("학습 기록 %(count)d건의 형식이 잘못되어 저장하지 않았습니다.")
        return JsonResponse({"detail": detail % {"count": refused}}, status=400)
    return HttpResponse(status=204)


@login_required
def course_test(request: HttpRequest, course_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, course_id)
    course = enrollment.course
    if request.method == "POST":
        attempt = get_object_or_404(
            enrollment.test_attempts, pk=request.POST.get("attempt"), submitted_at=None
        )
        answers = {}
        for pk in attempt.question_ids:
            value = request.POST.get(f"q{pk}", "")
            if value.isdigit():
                answers[pk] = int(value)
        try:
            attempt = services.course_test_submit(attempt=attempt, answers=answers)
        except Problem as problem:
            messages.error(request, problem.detail)
            return redirect("learning:course-test", course_id=course.pk)
        return redirect(
            "learning:course-test-result", course_id=course.pk, attempt_id=attempt.pk
        )
    try:
        attempt = services.course_test_start(enrollment=enrollment)
    except Problem as problem:
        messages.error(request, problem.detail)
        return redirect(course.get_url(request))
    questions = {
        q.pk: q for q in CourseQuestion.objects.filter(pk__in=attempt.question_ids)
    }
    ordered = [questions[pk] for pk in attempt.question_ids if pk in questions]
    return render(
        request,
        "learning/course_test.html",
        {"course": course, "attempt": attempt, "questions": ordered},
    )


@login_required
def course_test_result(
    request: HttpRequest, course_id: int, attempt_id: int
) -> HttpResponse:
    """Score, pass mark and attempts left; which answers were wrong only once the
    learner has passed or has no attempt left, so a retry cannot copy them."""
    enrollment = _own_enrollment(request, course_id)
    attempt = get_object_or_404(
        enrollment.test_attempts, pk=attempt_id, submitted_at__isnull=False
    )
    return render(
        request,
        "learning/course_test_result.html",
        {
            "course": enrollment.course,
            "attempt": attempt,
            "review": selectors.test_attempt_review(attempt=attempt),
        },
    )


@login_required
def course_survey(request: HttpRequest, course_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, course_id)
    course = enrollment.course
    if request.method != "POST" and not selectors.required_lessons_complete(
        enrollment=enrollment
    ):
        messages.info(
            request, _("필수 차시를 모두 이수하면 만족도 조사에 응답할 수 있습니다.")
        )
        return redirect(course.get_url(request))
    error = ""
    if request.method == "POST":
        score = request.POST.get("score", "")
        try:
            services.course_survey_submit(
                enrollment=enrollment,
                score=int(score) if score.isdigit() else 0,
                comment=request.POST.get("comment", ""),
            )
        except Problem as problem:
            error = problem.detail
        else:
            messages.success(request, _("만족도 조사에 응답해 주셔서 감사합니다."))
            return redirect(course.get_url(request))
    return render(
        request,
        "learning/course_survey.html",
        {"course": course, "error": error, "scores": [5, 4, 3, 2, 1]},
        status=400 if error else 200,
    )


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return absolute_url(certificate.get_absolute_url(), request=request)


@login_required
def certificate_download(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_by_number(number=number)
    if certificate is None or certificate.enrollment.user_id != request.user.pk:
        raise Http404
    if not certificate.is_valid:
        messages.error(request, _("취소된 수료증은 내려받을 수 없습니다."))
        return redirect("learning:dashboard")
    pdf = certificate_pdf(
        certificate=certificate, verify_url=_verify_url(request, certificate)
    )
    import io

    return FileResponse(
        io.BytesIO(pdf),
        content_type="application/pdf",
        filename=f"수료증-{certificate.number}.pdf",
    )


def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """Public: the form to type a certificate's number into; a well-formed number goes
    on to its result page, which also answers the QR code."""
    form = CertificateLookupForm(request.GET if "number" in request.GET else None)
    if form.is_valid():
        return redirect(
            "learning:certificate-verify", number=form.cleaned_data["number"]
        )
    # An error is shown on the form itself (200), as the other pages' forms do.
    return render(
        request, "learning/certificate_verify.html", {"form": form, "lookup": True}
    )


def certificate_verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: anyone holding a certificate's number or QR code can check it."""
    certificate = selectors.certificate_by_number(number=number)
    context = {
        "number": number[:40],
        "certificate": certificate,
        "form": CertificateLookupForm(initial={"number": number[:40]}),
    }
    if certificate is not None:
        context.update(
            masked_name=mask_name(certificate.learner_name),
            qr=qr_svg(_verify_url(request, certificate)),
        )
    return render(
        request,
        "learning/certificate_verify.html",
        context,
        status=200 if certificate else 404,
    )
