"""Pages of the organization portal (/org/) and the employees' join page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from core.problems import Problem
from lms.accounts.models import Organization
from lms.organizations import exports, forms, selectors, services
from lms.organizations.models import TrainingAssignment
from lms.organizations.notifications import join_url
from lms.privacy.services import personal_data_list_viewed


def contact_organization(user) -> Organization:
    """The organization whose contact this user is; anyone else gets 404."""
    if not access.is_org_contact(user):
        raise Http404
    return user.organization


def _assignment(request: HttpRequest, pk: int) -> TrainingAssignment:
    organization = contact_organization(request.user)
    assignment = selectors.assignment_of(organization=organization, pk=pk)
    if assignment is None:
        raise Http404
    return assignment


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organization = contact_organization(request.user)
    link = services.invitation_link_get(organization=organization, by=request.user)
    employees = list(selectors.employees_of(organization=organization))
    personal_data_list_viewed(
        actor=request.user,
        what="organization employees",
        count=len(employees),
        request=request,
    )
    return render(
        request,
        "organizations/home.html",
        {
            "organization": organization,
            "invite_url": join_url(link),
            "employees": employees,
            "pending": selectors.pending_invitations(organization=organization),
            "assignments": selectors.assignments_of(organization=organization),
            "csv_form": forms.InvitationCsvForm(),
            "assignment_form": forms.AssignmentForm(),
        },
    )


@login_required
def invite_csv(request: HttpRequest) -> HttpResponse:
    organization = contact_organization(request.user)
    form = forms.InvitationCsvForm(request.POST or None, request.FILES or None)
    result = None
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.invitations_import_csv(
                organization=organization,
                by=request.user,
                content=form.cleaned_data["file"].read(),
            )
        except Problem as problem:
            error = problem.detail
    status = (
        400 if (error or (request.method == "POST" and not form.is_valid())) else 200
    )
    return render(
        request,
        "organizations/invite_csv.html",
        {"form": form, "result": result, "error": error, "organization": organization},
        status=status,
    )


@login_required
@require_POST
def assignment_create(request: HttpRequest) -> HttpResponse:
    organization = contact_organization(request.user)
    form = forms.AssignmentForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.assignment_create(
                organization=organization,
                course=form.cleaned_data["course"],
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except Problem as problem:
            form.add_error(None, problem.detail)
        else:
            messages.success(request, _("교육을 배정했습니다."))
            return redirect("orgportal:assignment", pk=assignment.pk)
    return render(
        request,
        "organizations/assignment_form.html",
        {"form": form, "organization": organization},
        status=400,
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    only = request.GET.get("filter", "")
    if only not in selectors.FILTERS:
        only = ""
    rows = selectors.assignment_progress(assignment=assignment)
    shown = (
        selectors.assignment_progress(assignment=assignment, only=only)
        if only
        else rows
    )
    personal_data_list_viewed(
        actor=request.user,
        what=f"employee progress of assignment {assignment.pk}",
        count=len(shown),
        request=request,
    )
    return render(
        request,
        "organizations/assignment.html",
        {
            "assignment": assignment,
            "rows": shown,
            "only": only,
            "total": len(rows),
            "completed": sum(r.status == selectors.COMPLETED for r in rows),
            "not_started": sum(r.status == selectors.NOT_STARTED for r in rows),
            "overdue": sum(r.overdue for r in rows),
            "evidence_form": forms.EvidenceForm(),
        },
    )


@login_required
@require_POST
def assignment_remind(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    result = services.reminders_send(assignment=assignment, by=request.user)
    messages.success(
        request,
        _(
            "미수료자 %(sent)d명에게 안내 메일을 보냈습니다. (오늘 이미 보낸 %(skipped)d명 제외)"
        )
        % {"sent": result.sent, "skipped": result.skipped},
    )
    return redirect("orgportal:assignment", pk=assignment.pk)


@login_required
@require_POST
def assignment_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = forms.EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect("orgportal:assignment", pk=assignment.pk)
    return exports.evidence_pack_response(
        assignment=assignment,
        user=request.user,
        reason=form.cleaned_data["reason"],
        request=request,
    )


def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invited employee: sign up or log in, then join the organization."""
    try:
        invitation = services.invitation_by_token(token=token)
    except Problem:
        raise Http404 from None
    here = reverse("orgportal:join", args=[token])
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "next": here,
    }
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(token=token, user=request.user)
        except Problem as problem:
            context["error"] = problem.detail
            return render(request, "organizations/join.html", context, status=409)
        messages.success(
            request,
            _("%(org)s에 참여했습니다. 배정된 교육이 내 강의실에 추가되었습니다.")
            % {"org": invitation.organization.name},
        )
        return redirect("learning:dashboard")
    return render(request, "organizations/join.html", context)
