"""Resumable uploads: local chunked parts through the API, and S3 multipart (Show 4)."""

from __future__ import annotations

import os

import pytest
import requests
from django.core.files.storage import default_storage

from lms.accounts.models import Role
from lms.centers.models import Center
from media_pipeline import uploads
from media_pipeline.models import VideoAsset
from tests.conftest import require_service
from tests.factories import UserFactory
from tests.media_pipeline.conftest import storage_bytes

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


@pytest.fixture
def staff(db):
    # Center staff manage lecture videos (a role with a center, not Django's is_staff).
    return UserFactory(
        username="video-staff",
        role=Role.STAFF,
        center=Center.objects.order_by("pk").first(),
        name="박영상",
    )


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_UPLOAD_DIR = tmp_path / "parts"
    settings.VIDEO_UPLOAD_PART_BYTES = 64 * 1024
    return settings


def test_local_chunked_upload_resumes_without_resending_parts(
    client, staff, local_storage, django_capture_on_commit_callbacks
):
    data = os.urandom(150 * 1024)  # 3 parts: 64 + 64 + 22 KiB
    client.force_login(staff)
    started = client.post(
        "/api/v1/media/uploads",
        {"title": "임금 1강", "filename": "lesson.mp4", "size": len(data)},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert (body["backend"], body["part_count"], body["parts_done"]) == ("local", 3, [])
    asset_id = body["asset_id"]
    part = lambda n: data[(n - 1) * 65536 : n * 65536]  # noqa: E731
    url = f"/api/v1/media/uploads/{asset_id}/parts"
    put = client.put(f"{url}/1", part(1), content_type="application/octet-stream")
    assert put.status_code == 204
    # the connection drops in the middle of part 2: nothing of it counts
    short = client.put(
        f"{url}/2", part(2)[:1000], content_type="application/octet-stream"
    )
    assert short.status_code == 422
    # the browser comes back and asks what is there
    status = client.get(f"/api/v1/media/uploads/{asset_id}").json()
    assert status["parts_done"] == [1]
    for n in (2, 3):
        ok = client.put(f"{url}/{n}", part(n), content_type="application/octet-stream")
        assert ok.status_code == 204
    with django_capture_on_commit_callbacks() as callbacks:
        done = client.post(f"/api/v1/media/uploads/{asset_id}/complete")
    assert done.status_code == 200, done.content
    asset = VideoAsset.objects.get(pk=asset_id)
    assert asset.state == VideoAsset.State.UPLOADED
    assert storage_bytes(asset.source_path) == data
    assert len(callbacks) == 1  # processing queued once the row is committed


def test_limits_are_checked_before_any_byte(client, staff, local_storage):
    client.force_login(staff)
    for payload in (
        {"filename": "virus.exe", "size": 10},
        {"filename": "big.mp4", "size": local_storage.VIDEO_MAX_UPLOAD_BYTES + 1},
        {"filename": "empty.mp4", "size": 0},
    ):
        answer = client.post(
            "/api/v1/media/uploads", payload, content_type="application/json"
        )
        assert answer.status_code == 422
        assert answer["Content-Type"].startswith("application/problem+json")
    assert not VideoAsset.objects.exists()


def test_learners_cannot_upload(client, learner, local_storage):
    client.force_login(learner)
    answer = client.post(
        "/api/v1/media/uploads",
        {"filename": "a.mp4", "size": 10},
        content_type="application/json",
    )
    assert answer.status_code == 403


@pytest.mark.services
def test_s3_multipart_upload_with_presigned_parts_resumes(
    settings, staff, django_capture_on_commit_callbacks
):
    require_service("AWS_S3_ENDPOINT_URL", "S3 multipart upload")
    assert uploads.storage_is_s3()
    settings.VIDEO_UPLOAD_PART_BYTES = 5 * MIB  # S3's smallest part
    data = os.urandom(10 * MIB + 12345)
    asset = uploads.upload_start(
        title="근로시간", filename="hours.mp4", size_bytes=len(data), uploaded_by=staff
    )
    assert uploads.part_count(asset) == 3
    chunk = lambda n: data[(n - 1) * 5 * MIB : n * 5 * MIB]  # noqa: E731

    first = requests.put(
        uploads.upload_part_url(asset=asset, part_number=1), data=chunk(1), timeout=60
    )
    assert first.status_code == 200
    # interrupted here; a new page load asks S3 which parts it holds
    asset.refresh_from_db()
    assert uploads.upload_parts_done(asset=asset) == [1]
    sent = []
    for n in range(1, 4):
        if n in uploads.upload_parts_done(asset=asset):
            continue
        url = uploads.upload_part_url(asset=asset, part_number=n)
        assert requests.put(url, data=chunk(n), timeout=60).status_code == 200
        sent.append(n)
    assert sent == [2, 3]
    with django_capture_on_commit_callbacks() as callbacks:
        asset = uploads.upload_complete(asset=asset)
    assert asset.state == VideoAsset.State.UPLOADED
    assert len(callbacks) == 1
    with default_storage.open(asset.source_path, "rb") as handle:
        assert handle.read() == data
