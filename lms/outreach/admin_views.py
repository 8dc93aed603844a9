"""Staff screens in the Wagtail admin: the queue per center, a request's review and matching,
batch decisions, material review and the payout export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from core.masking import mask_name, mask_phone
from core.problems import Problem
from lms.outreach import selectors, services, states
from lms.outreach.exports import payout_xlsx_response
from lms.outreach.forms import PayoutExportForm, QueueFilterForm
from lms.outreach.matching import candidates_for
from lms.outreach.models import RequestState
from lms.privacy.services import (
    personal_data_access_record,
    personal_data_list_viewed,
)
from lms.trainers.selectors import material_revisions_visible_to
from lms.trainers.services import material_revision_review


def _staff(request: HttpRequest):
    user = request.user
    if not access.is_operator(user):
        raise DjangoPermissionDenied
    return user


def queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = QueueFilterForm(
        request.GET or None, centers=selectors.centers_for_staff(user=user)
    )
    filters = {}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = {
            "state": d["state"],
            "center_id": d["center"].pk if d["center"] else None,
            "district_id": d["district"].pk if d["district"] else None,
            "date_from": d["date_from"],
            "date_to": d["date_to"],
            "q": d["q"],
        }
    requests = selectors.requests_for_staff(user=user, **filters)
    rows = [
        {
            "r": r,
            "contact": mask_name(r.contact_name),
            "phone": mask_phone(r.contact_phone),
        }
        for r in requests
    ]
    personal_data_list_viewed(
        actor=user, what="outreach queue (contacts)", count=len(rows), request=request
    )
    return render(
        request,
        "outreach/admin/queue.html",
        {"rows": rows, "form": form, "filtered": bool(request.GET)},
    )


@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    outcomes = services.requests_decide_batch(
        request_ids=ids,
        actor=user,
        decision=request.POST.get("decision", ""),
        reason=request.POST.get("reason", ""),
    )
    done = sum(1 for v in outcomes.values() if v == "ok")
    messages.success(request, _("%(n)s건을 처리했습니다.") % {"n": done})
    for request_id, outcome in outcomes.items():
        if outcome != "ok":
            messages.error(request, f"#{request_id}: {outcome}")
    return redirect("outreach_admin:queue")


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    outreach = selectors.request_for_staff(user=user, pk=pk)
    personal_data_access_record(
        actor=user,
        action="view",
        subject=f"outreach request #{outreach.pk} contact",
        request=request,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if action == "offer":
                services.offer_create(
                    request_id=pk,
                    trainer_id=int(request.POST["trainer"]),
                    actor=user,
                    reason=request.POST.get("rank_reason", ""),
                )
            else:
                slot = request.POST.get("slot", "")
                services.request_transition(
                    request_id=pk,
                    actor=user,
                    to=action or "",
                    reason=reason,
                    slot_id=int(slot) if slot.isdigit() else None,
                )
            messages.success(request, _("처리했습니다."))
        except Problem as problem:
            messages.error(request, problem.detail)
        return redirect("outreach_admin:detail", pk=pk)
    match = (
        candidates_for(request=outreach)
        if outreach.state == RequestState.MATCHING and outreach.starts_at
        else None
    )
    return render(
        request,
        "outreach/admin/detail.html",
        {
            "outreach": outreach,
            "slots": outreach.preferred_slots.all(),
            "events": outreach.events.select_related("actor", "offer__trainer__user"),
            "offers": outreach.offers.select_related("trainer__user"),
            "candidates": match.candidates[:20] if match else [],
            "excluded": match.excluded_trainers if match else [],
            "session": getattr(outreach, "session", None),
            "staff_cancellable": states.STAFF_CANCELLABLE,
            # States whose buttons take a question or a reason from the text box.
            "staff_reason_states": states.STAFF_CANCELLABLE
            | {RequestState.UNDER_REVIEW},
        },
    )


def materials(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if request.method == "POST":
        try:
            revision = material_revisions_visible_to(user=user).filter(
                pk=int(request.POST["revision"])
            )
            if not revision.exists():
                raise Http404
            material_revision_review(
                revision_id=int(request.POST["revision"]),
                reviewer=user,
                approve=request.POST.get("action") == "approve",
            )
            messages.success(request, _("검토 결과를 저장했습니다."))
        except Problem as problem:
            messages.error(request, problem.detail)
        return redirect("outreach_admin:materials")
    revisions = material_revisions_visible_to(user=user).order_by(
        "status", "-created_at"
    )[:200]
    personal_data_list_viewed(
        actor=user,
        what="trainer materials (trainer names)",
        count=len(revisions),
        request=request,
    )
    return render(request, "outreach/admin/materials.html", {"revisions": revisions})


def payouts(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST with year, month and a stated reason downloads."""
    user = _staff(request)
    form = PayoutExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return payout_xlsx_response(
                user=user,
                year=form.cleaned_data["year"],
                month=form.cleaned_data["month"],
                reason=form.cleaned_data["reason"],
                request=request,
                full_names=form.cleaned_data["full_names"],
            )
        except Problem as problem:
            form.add_error(None, problem.detail)
    return render(request, "outreach/admin/payouts.html", {"form": form})
