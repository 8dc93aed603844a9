"""Public pages of outreach: application, follow-up, trainer portal, attendee survey."""

from __future__ import annotations

import io
import secrets
import uuid

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.problems import Problem
from lms.accounts.models import Role
from lms.outreach import forms, services
from lms.outreach.models import (
    Offer,
    OfferState,
    OutreachRequest,
    OutreachSession,
)
from lms.surveys.selectors import survey_answered
from lms.surveys.services import survey_response_submit
from lms.trainers import services as trainer_services
from lms.trainers.models import MaterialRevision, TrainerProfile

SURVEY_COOKIE = "survey_device"


def apply(request: HttpRequest) -> HttpResponse:
    organization = getattr(request.user, "organization", None)
    if request.method == "POST":
        form = forms.ApplicationForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            data = services.ApplicationData(
                organization_name=d["organization_name"],
                organization_kind=d["organization_kind"],
                contact_name=d["contact_name"],
                contact_phone=d["contact_phone"],
                contact_email=d["contact_email"],
                participants=d["participants"],
                address=d["address"],
                district_id=d["district"].pk,
                topic_codes=[t.code for t in d["topics"]],
                audience=d["audience"],
                slots=d["slots"],
                accessibility=d["accessibility"],
                language=d["language"],
                notes=d["notes"],
            )
            try:
                outreach, _created = services.request_submit(
                    data=data,
                    idempotency_key=d["idempotency_key"],
                    organization=organization,
                )
            except Problem as problem:
                form.add_error(None, problem.detail)
            else:
                return redirect("outreach:follow_up", token=outreach.public_token)
    else:
        initial = {"idempotency_key": uuid.uuid4().hex}
        if organization is not None:
            initial |= {
                "organization_name": organization.name,
                "organization_kind": organization.kind,
                "district": organization.district_id,
                "address": organization.address,
                "contact_name": request.user.get_full_name(),
                "contact_email": request.user.email,
                "contact_phone": request.user.phone,
            }
        form = forms.ApplicationForm(initial=initial)
    return render(request, "outreach/apply.html", {"form": form})


def follow_up(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    outreach = get_object_or_404(
        OutreachRequest.objects.select_related("district", "center"), public_token=token
    )
    session = OutreachSession.objects.filter(request=outreach).first()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                services.request_answer(
                    token=token, answer=request.POST.get("answer", "")
                )
                messages.success(request, _("답변을 보냈습니다."))
            elif action == "withdraw":
                services.request_withdraw(
                    token=token, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("신청을 취소했습니다."))
            elif action == "confirm_attendance":
                form = forms.AttendanceConfirmForm(request.POST)
                if form.is_valid():
                    services.attendance_confirm(
                        token=token, attendees=form.cleaned_data["attendees"]
                    )
                    messages.success(request, _("출석 인원을 확인했습니다."))
        except Problem as problem:
            messages.error(request, problem.detail)
        return redirect("outreach:follow_up", token=token)
    context = {
        "outreach": outreach,
        "session": session,
        "slots": outreach.preferred_slots.all(),
        "topics": outreach.topics.all(),
        "can_withdraw": outreach.state in services.APPLICANT_CANCELLABLE,
        "survey_url": request.build_absolute_uri(
            reverse("outreach:survey", args=[session.survey_token])
        )
        if session
        else "",
    }
    return render(request, "outreach/follow_up.html", context)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    if request.user.organization_id is None:
        raise Http404
    requests = OutreachRequest.objects.filter(organization=request.user.organization_id)
    return render(request, "outreach/my_requests.html", {"requests": requests})


# --- Trainer portal -------------------------------------------------------------------


def _trainer(request: HttpRequest) -> TrainerProfile:
    if request.user.role != Role.TRAINER:
        raise Http404
    profile = TrainerProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404
    return profile


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    trainer = _trainer(request)
    context = {
        "trainer": trainer,
        "offers": Offer.objects.filter(trainer=trainer, state=OfferState.OFFERED)
        .select_related("request", "request__district")
        .order_by("starts_at"),
        "sessions": OutreachSession.objects.filter(trainer=trainer)
        .select_related("request", "material_revision__material")
        .order_by("-starts_at"),
        "weekly": trainer.weekly_availability.all(),
        "exceptions": trainer.availability_exceptions.all(),
        "revisions": MaterialRevision.objects.filter(
            material__trainer=trainer
        ).select_related("material", "document"),
        "approved_revisions": MaterialRevision.objects.filter(
            material__trainer=trainer, status=MaterialRevision.Status.APPROVED
        ).select_related("material"),
        "weekly_form": forms.WeeklyAvailabilityForm(),
        "exception_form": forms.ExceptionForm(),
        "material_form": forms.MaterialUploadForm(),
        "weekday_names": "월화수목금토일",
    }
    return render(request, "outreach/portal.html", context)


@login_required
@require_POST
def portal_action(request: HttpRequest) -> HttpResponse:
    """Every portal form posts here with an `action`; each calls one service."""
    trainer = _trainer(request)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "accept":
            services.offer_accept(
                offer_id=int(request.POST["offer"]), trainer_user=user
            )
            messages.success(
                request, _("제안을 수락했습니다. 확정 안내 메일을 보냈습니다.")
            )
        elif action == "decline":
            services.offer_decline(
                offer_id=int(request.POST["offer"]),
                trainer_user=user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("제안을 거절했습니다."))
        elif action == "attendance":
            form = forms.AttendanceReportForm(request.POST)
            if not form.is_valid():
                raise Problem(_("참석 인원을 확인해 주세요."))
            services.attendance_report(
                session_id=int(request.POST["session"]),
                trainer_user=user,
                attendees=form.cleaned_data["attendees"],
            )
            messages.success(request, _("출석을 보고했습니다."))
        elif action == "report":
            form = forms.LectureReportForm(request.POST)
            if not form.is_valid():
                raise Problem(_("강의 보고서 내용을 입력해 주세요."))
            services.lecture_report_submit(
                session_id=int(request.POST["session"]),
                trainer_user=user,
                report=form.cleaned_data["report"],
                material_revision_id=form.cleaned_data["material_revision"]
                or (
                    int(request.POST["revision"])
                    if request.POST.get("revision")
                    else None
                ),
            )
            messages.success(request, _("강의 보고서를 제출했습니다."))
        elif action == "weekly":
            form = forms.WeeklyAvailabilityForm(request.POST)
            if not form.is_valid():
                raise Problem(_("요일과 시각을 확인해 주세요."))
            trainer_services.weekly_availability_add(
                trainer=trainer, **form.cleaned_data
            )
            messages.success(request, _("가능 시간을 추가했습니다."))
        elif action == "remove_weekly":
            trainer.weekly_availability.filter(pk=request.POST.get("slot")).delete()
        elif action == "exception":
            form = forms.ExceptionForm(request.POST)
            if not form.is_valid():
                raise Problem(_("날짜를 확인해 주세요."))
            trainer_services.availability_exception_add(
                trainer=trainer, **form.cleaned_data
            )
            messages.success(request, _("불가능한 날짜를 추가했습니다."))
        elif action == "material":
            form = forms.MaterialUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                raise Problem(_("자료명과 파일을 확인해 주세요."))
            trainer_services.material_revision_upload(
                trainer=trainer,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
            messages.success(
                request, _("자료를 올렸습니다. 센터 검토 후 사용할 수 있습니다.")
            )
        else:
            raise Problem(_("알 수 없는 요청입니다."))
    except (Problem, KeyError, ValueError) as problem:
        messages.error(request, getattr(problem, "detail", _("요청을 확인해 주세요.")))
    return redirect("outreach:portal")


# --- Attendee survey (no account; one answer per device) -------------------------------


def survey(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(
        OutreachSession.objects.select_related("request"), survey_token=token
    )
    device = request.COOKIES.get(SURVEY_COOKIE) or secrets.token_urlsafe(24)
    answered = survey_answered(subject=session, device_token=device)
    form = forms.SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST" and not answered and form.is_valid():
        try:
            survey_response_submit(
                subject=session,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                device_token=device,
            )
            answered = True
        except Problem as problem:
            form.add_error(None, problem.detail)
            status = problem.status
    elif request.method == "POST" and answered:
        status = 409
    response = render(
        request,
        "outreach/survey.html",
        {"session": session, "form": form, "answered": answered},
        status=status,
    )
    response.set_cookie(
        SURVEY_COOKIE, device, max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
    )
    return response


def survey_qr(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(OutreachSession, survey_token=token)
    url = request.build_absolute_uri(
        reverse("outreach:survey", args=[session.survey_token])
    )
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
