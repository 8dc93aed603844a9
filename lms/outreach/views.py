"""Public pages of outreach: application, follow-up, trainer portal, attendee survey."""

from __future__ import annotations

import io
import uuid
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from core.links import absolute_url
from core.problems import Problem
from lms.outreach import forms, selectors, services, states
from lms.outreach.models import (
    OutreachRequest,
    OutreachSession,
)
from lms.outreach.survey_codes import (
    respondent_token,
    survey_code_number,
    survey_codes,
)
from lms.surveys.selectors import survey_answered
from lms.surveys.services import survey_response_submit
from lms.trainers import services as trainer_services
from lms.trainers.models import MaterialRevision, TrainerProfile


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
        "survey_sheet_url": reverse(
            "outreach:survey_sheet", args=[outreach.public_token]
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
    if not access.is_trainer(request.user):
        raise Http404
    profile = TrainerProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404
    return profile


def _portal_context(trainer: TrainerProfile) -> dict:
    now = timezone.now()
    upcoming, past = selectors.sessions_of_trainer(trainer=trainer, now=now)
    return {
        "trainer": trainer,
        "offers": selectors.offers_waiting_for(trainer=trainer),
        "upcoming": upcoming,
        "past": past,
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
        "now": now,
        "scheduled_states": states.SCHEDULED,
    }


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    trainer = _trainer(request)
    return render(request, "outreach/portal.html", _portal_context(trainer))


@login_required
def offer_decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Declining asks first: the offer again, and the reason, which is required."""
    trainer = _trainer(request)
    row = selectors.offer_waiting_for(trainer=trainer, offer_id=offer_id)
    form = forms.DeclineForm(request.POST or None)
    # A refused form is the page again with its errors, answered 200 as every form
    # page of the site is (a 400 document is a console error in the browser).
    if request.method == "POST":
        if form.is_valid():
            try:
                services.offer_decline(
                    offer_id=offer_id,
                    trainer_user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except Problem as problem:
                form.add_error(None, problem.detail)
            else:
                messages.success(request, _("제안을 거절했습니다. 센터에 알렸습니다."))
                return redirect("outreach:portal")
    return render(
        request,
        "outreach/decline.html",
        {"row": row, "offer": row["offer"], "form": form},
    )


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
                request,
                _("제안을 수락했습니다. 센터가 교육을 확정하면 안내 메일이 갑니다."),
            )
        elif action == "drop_out":
            session = OutreachSession.objects.filter(
                pk=int(request.POST["session"]), trainer=trainer
            ).first()
            if session is None:
                raise Http404
            services.trainer_drop_out(
                request_id=session.request_id,
                actor=user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request, _("불참을 알렸습니다. 센터가 다른 강사를 섭외합니다.")
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
            trainer_services.weekly_availability_remove(
                trainer=trainer, slot_id=int(request.POST.get("slot") or 0)
            )
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


# --- Attendee survey (no account; one answer per one-time code) -------------------------


def _survey_url(request: HttpRequest, session: OutreachSession, code: str) -> str:
    path = reverse("outreach:survey", args=[session.survey_token])
    return absolute_url(f"{path}?{urlencode({'code': code})}", request=request)


def survey(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(
        OutreachSession.objects.select_related("request"), survey_token=token
    )
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    number = survey_code_number(session, code)
    answered = number is not None and survey_answered(
        subject=session, device_token=respondent_token(number)
    )
    form = forms.SurveyForm(request.POST or None, initial={"code": code})
    status = 200
    if request.method == "POST" and number is None:
        form.add_error(
            "code",
            _("QR 시트의 설문 코드가 필요합니다. 코드를 확인해 주세요.")
            if code
            else _("설문 코드를 입력해 주세요."),
        )
        status = 400
    elif request.method == "POST" and not answered and form.is_valid():
        try:
            survey_response_submit(
                subject=session,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                device_token=respondent_token(number),
            )
            answered = True
        except Problem as problem:
            form.add_error(None, problem.detail)
            status = problem.status
    elif request.method == "POST" and answered:
        status = 409
    return render(
        request,
        "outreach/survey.html",
        {"session": session, "form": form, "answered": answered},
        status=status,
    )


def survey_qr(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The QR code of one attendee's survey link (the code must be the session's)."""
    session = get_object_or_404(
        OutreachSession.objects.select_related("request"), survey_token=token
    )
    code = request.GET.get("code", "")
    if survey_code_number(session, code) is None:
        raise Http404
    image = qrcode.make(
        _survey_url(request, session, code.strip().upper()),
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _survey_sheet(request: HttpRequest, session: OutreachSession) -> HttpResponse:
    codes = survey_codes(session)
    return render(
        request,
        "outreach/survey_sheet.html",
        {
            "session": session,
            "entries": [
                {"code": code, "url": _survey_url(request, session, code)}
                for code in codes
            ],
        },
    )


def survey_sheet_for_applicant(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    session = get_object_or_404(
        OutreachSession.objects.select_related("request"), request__public_token=token
    )
    return _survey_sheet(request, session)


@login_required
def survey_sheet_for_trainer(request: HttpRequest, session_id: int) -> HttpResponse:
    trainer = _trainer(request)
    session = get_object_or_404(
        OutreachSession.objects.select_related("request"),
        pk=session_id,
        trainer=trainer,
    )
    return _survey_sheet(request, session)
