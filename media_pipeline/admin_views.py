"""Wagtail admin pages of the video pipeline: listing, upload, re-process, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from core.masking import mask_name
from core.problems import Problem
from media_pipeline import services
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import asset_playback, assets_for_staff


def _require_staff(request) -> None:
    # Center staff manage lecture videos; Django's is_staff flag is not how roles work here.
    user = request.user
    if not access.is_operator(user):
        raise PermissionDenied


def index(request):
    _require_staff(request)
    rows = assets_for_staff()
    for row in rows:
        uploader = row["asset"].uploaded_by
        row["uploader"] = (
            mask_name(getattr(uploader, "name", "") or "") if uploader else ""
        )
    return TemplateResponse(request, "media_pipeline/admin/index.html", {"rows": rows})


def upload(request):
    _require_staff(request)
    return TemplateResponse(request, "media_pipeline/admin/upload.html", {})


def detail(request, asset_id):
    _require_staff(request)
    asset = get_object_or_404(VideoAsset, pk=asset_id)
    if request.method == "POST" and request.FILES.get("caption"):
        try:
            services.caption_add(
                asset=asset,
                language=request.POST.get("language", "ko"),
                label=request.POST.get("label", "한국어"),
                file=request.FILES["caption"],
            )
            messages.success(request, _("자막을 올렸습니다."))
        except Problem as exc:
            messages.error(request, exc.detail)
        return redirect("media_pipeline_admin:detail", asset_id=asset.pk)
    return TemplateResponse(
        request,
        "media_pipeline/admin/detail.html",
        {"asset": asset, "playback": asset_playback(asset=asset, user=request.user)},
    )


@require_POST
def reprocess(request, asset_id):
    _require_staff(request)
    asset = get_object_or_404(VideoAsset, pk=asset_id)
    try:
        services.asset_reprocess(asset=asset)
        messages.success(request, _("다시 처리하도록 예약했습니다."))
    except Problem as exc:
        messages.error(request, exc.detail)
    return redirect("media_pipeline_admin:index")


@require_POST
def delete(request, asset_id):
    _require_staff(request)
    asset = get_object_or_404(VideoAsset, pk=asset_id)
    services.asset_delete(asset=asset)
    messages.success(request, _("영상을 지웠습니다."))
    return redirect("media_pipeline_admin:index")
