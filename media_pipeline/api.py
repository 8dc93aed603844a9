"""`/api/v1/media/` operations: video assets and their resumable uploads (staff only)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from core import access
from core.auth import api_auth
from core.problems import NotFound, PermissionDenied
from core.types import MAX_DB_INTEGER, BodyInt, PartNumber
from media_pipeline import uploads
from media_pipeline.models import VideoAsset
from media_pipeline.selectors import asset_playback

router = Router(tags=["media"])


def _staff(request: HttpRequest):
    user = request.auth if hasattr(request.auth, "is_staff") else request.user
    if not access.is_operator(user):
        raise PermissionDenied("영상을 올리거나 관리할 권한이 없습니다.")
    return user


def _staff_asset(request: HttpRequest, asset_id: uuid.UUID) -> VideoAsset:
    """An asset for staff; to anyone else it does not exist (404, not 403)."""
    try:
        _staff(request)
    except PermissionDenied:
        raise NotFound() from None
    return get_object_or_404(VideoAsset, pk=asset_id)


class UploadStartIn(Schema):
    title: str = Field("", max_length=200)
    filename: str = Field(max_length=255)
    size: BodyInt = Field(ge=1, le=MAX_DB_INTEGER)


class UploadOut(Schema):
    asset_id: uuid.UUID
    state: str
    backend: str
    part_size: int
    part_count: int
    parts_done: list[int]


class PartUrlOut(Schema):
    url: str


class AssetOut(Schema):
    id: uuid.UUID
    title: str
    state: str
    progress: int
    reason: str
    playback: dict | None


def _upload_out(asset: VideoAsset) -> dict:
    from django.conf import settings

    return {
        "asset_id": asset.pk,
        "state": asset.state,
        "backend": "s3" if uploads.storage_is_s3() else "local",
        "part_size": settings.VIDEO_UPLOAD_PART_BYTES,
        "part_count": uploads.part_count(asset),
        "parts_done": uploads.upload_parts_done(asset=asset),
    }


@router.post(
    "/uploads",
    response={201: UploadOut},
    auth=api_auth,
    summary="Start a resumable video upload (limits are checked first)",
)
def upload_start(request: HttpRequest, payload: UploadStartIn):
    user = _staff(request)
    asset = uploads.upload_start(
        title=payload.title,
        filename=payload.filename,
        size_bytes=payload.size,
        uploaded_by=user,
    )
    return Status(201, _upload_out(asset))


@router.get(
    "/uploads/{asset_id}",
    response=UploadOut,
    auth=api_auth,
    summary="Upload status: the parts storage already holds",
)
def upload_status(request: HttpRequest, asset_id: uuid.UUID):
    return _upload_out(_staff_asset(request, asset_id))


@router.post(
    "/uploads/{asset_id}/parts/{part_number}/url",
    response=PartUrlOut,
    auth=api_auth,
    summary="A presigned URL for one part (S3 storage)",
)
def upload_part_url(request: HttpRequest, asset_id: uuid.UUID, part_number: PartNumber):
    asset = _staff_asset(request, asset_id)
    return {"url": uploads.upload_part_url(asset=asset, part_number=part_number)}


@router.put(
    "/uploads/{asset_id}/parts/{part_number}",
    response={204: None},
    auth=api_auth,
    summary="Send one part (local storage); the body is the part's bytes",
)
def upload_part(request: HttpRequest, asset_id: uuid.UUID, part_number: PartNumber):
    asset = _staff_asset(request, asset_id)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    uploads.upload_part_write(
        asset=asset, part_number=part_number, stream=request, length=length
    )
    return Status(204, None)


@router.post(
    "/uploads/{asset_id}/complete",
    response=UploadOut,
    auth=api_auth,
    summary="Finish the upload and queue processing",
)
def upload_complete(request: HttpRequest, asset_id: uuid.UUID):
    asset = _staff_asset(request, asset_id)
    return _upload_out(uploads.upload_complete(asset=asset))


@router.get(
    "/assets/{asset_id}",
    response=AssetOut,
    auth=api_auth,
    summary="A video asset's state, progress and playback URLs",
)
def asset_detail(request: HttpRequest, asset_id: uuid.UUID):
    asset = _staff_asset(request, asset_id)
    return {
        "id": asset.pk,
        "title": asset.title,
        "state": asset.state,
        "progress": asset.progress,
        "reason": asset.reason,
        "playback": asset_playback(asset=asset, user=_staff(request)),
    }
