"""Resumable uploads of large videos, straight to storage in parts.

On S3 the browser sends each part to a presigned URL of a multipart upload; on the local
storage it sends each part to us and we write it to its own file. Either way a part that
arrived is never asked for again, and no process holds a whole video in memory.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from core.problems import Conflict
from media_pipeline.models import VideoAsset
from media_pipeline.services import (
    InvalidUpload,
    State,
    asset_create,
    asset_mark_uploaded,
    asset_set_state,
)


def storage_is_s3() -> bool:
    return hasattr(default_storage, "bucket_name") and hasattr(
        default_storage, "connection"
    )


def _s3_client():
    return default_storage.connection.meta.client


def _s3_key(name: str) -> str:
    return default_storage._normalize_name(name)  # the storage's own location prefix


def part_count(asset: VideoAsset) -> int:
    return max(1, math.ceil((asset.size_bytes or 0) / settings.VIDEO_UPLOAD_PART_BYTES))


def upload_start(
    *, title: str, filename: str, size_bytes: int, uploaded_by=None
) -> VideoAsset:
    """Check the limits, create the asset and open a multipart upload for it."""
    asset = asset_create(
        title=title, filename=filename, size_bytes=size_bytes, uploaded_by=uploaded_by
    )
    if storage_is_s3():
        response = _s3_client().create_multipart_upload(
            Bucket=default_storage.bucket_name,
            Key=_s3_key(asset.source_path),
            ContentType="application/octet-stream",
        )
        upload_id = response["UploadId"]
    else:
        upload_id = "local"
        _local_dir(asset).mkdir(parents=True, exist_ok=True)
    asset_set_state(
        asset_id=asset.pk,
        from_states=[State.CREATED],
        to_state=State.UPLOADING,
        upload_id=upload_id,
    )
    asset.refresh_from_db()
    return asset


def _require_uploading(asset: VideoAsset) -> None:
    if asset.state != State.UPLOADING:
        raise Conflict(_("업로드 중인 영상이 아닙니다."))


def _check_part_number(asset: VideoAsset, part_number: int) -> None:
    if not 1 <= part_number <= part_count(asset):
        raise InvalidUpload(_("조각 번호가 올바르지 않습니다."))


def _local_dir(asset: VideoAsset) -> Path:
    return Path(settings.VIDEO_UPLOAD_DIR) / str(asset.pk)


def upload_parts_done(*, asset: VideoAsset) -> list[int]:
    """Numbers of the parts storage already holds: a resumed upload skips them."""
    if asset.state != State.UPLOADING:
        return []
    if storage_is_s3():
        done: list[int] = []
        paginator = _s3_client().get_paginator("list_parts")
        for page in paginator.paginate(
            Bucket=default_storage.bucket_name,
            Key=_s3_key(asset.source_path),
            UploadId=asset.upload_id,
        ):
            done.extend(part["PartNumber"] for part in page.get("Parts", []))
        return sorted(done)
    folder = _local_dir(asset)
    if not folder.exists():
        return []
    return sorted(int(p.name.removeprefix("part-")) for p in folder.glob("part-[0-9]*"))


def upload_part_url(*, asset: VideoAsset, part_number: int) -> str:
    """A presigned URL the browser PUTs one part to (S3 only)."""
    _require_uploading(asset)
    _check_part_number(asset, part_number)
    return _s3_client().generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": default_storage.bucket_name,
            "Key": _s3_key(asset.source_path),
            "UploadId": asset.upload_id,
            "PartNumber": part_number,
        },
        ExpiresIn=3600,
    )


def _expected_part_size(asset: VideoAsset, part_number: int) -> int:
    part = settings.VIDEO_UPLOAD_PART_BYTES
    if part_number < part_count(asset):
        return part
    return (asset.size_bytes or 0) - part * (part_count(asset) - 1)


def upload_part_write(
    *, asset: VideoAsset, part_number: int, stream, length: int
) -> None:
    """Write one part of a local upload from a stream, without holding it in memory.

    The part becomes visible only once complete (rename), so an interrupted part is sent
    again and a finished one never is."""
    _require_uploading(asset)
    _check_part_number(asset, part_number)
    if length != _expected_part_size(asset, part_number):
        raise InvalidUpload(_("조각 크기가 맞지 않습니다."))
    folder = _local_dir(asset)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"part-{part_number:05d}"
    partial = folder / f".partial-{part_number:05d}-{os.getpid()}"
    written = 0
    with partial.open("wb") as handle:
        while written < length:
            chunk = stream.read(min(1024 * 1024, length - written))
            if not chunk:
                break
            handle.write(chunk)
            written += len(chunk)
    if written != length:
        partial.unlink(missing_ok=True)
        raise InvalidUpload(_("조각이 끝까지 오지 않았습니다. 다시 보내 주세요."))
    partial.replace(target)


class _Concatenated:
    """A read-only file over the local parts, in order (for storage.save)."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.index = 0
        self.handle = None

    def read(self, size: int = -1) -> bytes:
        out = b""
        while self.index < len(self.paths) and (size < 0 or len(out) < size):
            if self.handle is None:
                self.handle = self.paths[self.index].open("rb")
            chunk = self.handle.read(-1 if size < 0 else size - len(out))
            if not chunk:
                self.handle.close()
                self.handle = None
                self.index += 1
                continue
            out += chunk
        return out


def upload_complete(*, asset: VideoAsset) -> VideoAsset:
    """All parts are there: assemble the source in storage and queue processing."""
    _require_uploading(asset)
    done = upload_parts_done(asset=asset)
    missing = sorted(set(range(1, part_count(asset) + 1)) - set(done))
    if missing:
        raise Conflict(
            _("아직 받지 못한 조각이 있습니다: %(parts)s")
            % {"parts": ", ".join(map(str, missing[:20]))}
        )
    if storage_is_s3():
        client = _s3_client()
        key = _s3_key(asset.source_path)
        parts = []
        paginator = client.get_paginator("list_parts")
        for page in paginator.paginate(
            Bucket=default_storage.bucket_name, Key=key, UploadId=asset.upload_id
        ):
            parts.extend(
                {"PartNumber": p["PartNumber"], "ETag": p["ETag"]}
                for p in page.get("Parts", [])
            )
        client.complete_multipart_upload(
            Bucket=default_storage.bucket_name,
            Key=key,
            UploadId=asset.upload_id,
            MultipartUpload={"Parts": sorted(parts, key=lambda p: p["PartNumber"])},
        )
        size = client.head_object(Bucket=default_storage.bucket_name, Key=key)[
            "ContentLength"
        ]
    else:
        folder = _local_dir(asset)
        paths = [folder / f"part-{n:05d}" for n in range(1, part_count(asset) + 1)]
        size = sum(p.stat().st_size for p in paths)
        if size == asset.size_bytes:
            name = default_storage.save(
                asset.source_path, File(_Concatenated(paths), name="source")
            )
            VideoAsset.objects.filter(pk=asset.pk).update(source_path=name)
        shutil.rmtree(folder, ignore_errors=True)
    if size != asset.size_bytes:
        raise InvalidUpload(_("받은 파일 크기가 처음 알린 크기와 다릅니다."))
    with transaction.atomic():
        asset_mark_uploaded(asset=asset)
    asset.refresh_from_db()
    return asset
