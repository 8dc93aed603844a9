"""Attack rows of issue 17 that belong to the video pipeline.

Row 1: path traversal out of the HLS outputs (`/media/videos/hls/..%2f..%2fdocuments/…`
answered 200 anonymously). Media are now served only from `videos/hls/`, by a resolver
that cannot leave it, and only behind a short-lived signature.

Row 4: the stuck-asset sweeper never ran (its hard time limit of 300 s was below the
global soft limit, and Celery refuses such a task). Every media task now states valid
limits, and a whole worker SIGKILLed mid-transcode is brought to ready by the sweeper.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from media_pipeline.models import VideoAsset

LOCAL = {
    **django_settings.STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
SECRET = b"%PDF-1.4 confidential evidence of a workplace complaint"


@pytest.fixture
def media_with_secrets(settings, tmp_path):
    """A local media folder holding what the HLS route must never reach: an uploaded
    document, a source video, and a published output."""
    settings.STORAGES = LOCAL
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path
    default_storage.save("documents/complaint.pdf", ContentFile(SECRET))
    default_storage.save(
        f"videos/sources/{uuid.uuid4()}/source.mp4", ContentFile(SECRET)
    )
    default_storage.save(
        f"videos/hls/{uuid.uuid4()}/run/master.m3u8", ContentFile(b"#EXTM3U")
    )
    return tmp_path


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


TRAVERSALS = [
    "/media/videos/hls/..%2f..%2fdocuments/complaint.pdf",
    "/media/videos/hls/..%2F..%2Fdocuments%2Fcomplaint.pdf",
    "/media/videos/hls/%2e%2e/%2e%2e/documents/complaint.pdf",
    "/media/videos/hls/../../documents/complaint.pdf",
    "/media/videos/hls/....//....//documents/complaint.pdf",
    "/media/documents/complaint.pdf",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", TRAVERSALS)
def test_row01_traversal_out_of_the_hls_outputs_is_refused(media_with_secrets, path):
    response = Client().get(path)
    body = _body(response)
    assert response.status_code == 404
    assert SECRET not in body


NOT_SERVED = [
    "videos/hls/../../documents/complaint.pdf",
    "videos/hls/x/../../../documents/complaint.pdf",
    "videos/hls/..%2f..%2fdocuments/complaint.pdf",
    "videos/hls/./../sources/a/source.mp4",
    "videos/sources/a/source.mp4",
    "documents/complaint.pdf",
    "videos/hls//etc/passwd",
    "videos/hls/a\\..\\..\\documents\\complaint.pdf",
    "videos/hls/.hidden/file",
    "/etc/passwd",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NOT_SERVED)
def test_row01_signed_media_view_serves_only_the_hls_prefix(media_with_secrets, name):
    """Even with a valid signature (as if a bug had signed the name) the resolver
    refuses every name that is not plainly a file under videos/hls/."""
    from media_pipeline import playback

    with pytest.raises(playback.NotServed):
        playback.resolve_served(name)
    url = playback.local_signed_url(name, lifetime=60)
    response = Client().get(url)
    body = _body(response)
    assert response.status_code == 404
    assert SECRET not in body


@pytest.mark.django_db
def test_row01_a_link_inside_the_prefix_does_not_lead_out(media_with_secrets):
    from media_pipeline import playback

    folder = media_with_secrets / "videos" / "hls" / "linked"
    folder.mkdir(parents=True)
    (folder / "seg.mp4").symlink_to(media_with_secrets / "documents" / "complaint.pdf")
    name = "videos/hls/linked/seg.mp4"
    with pytest.raises(playback.NotServed):
        playback.resolve_served(name)
    assert Client().get(playback.local_signed_url(name, lifetime=60)).status_code == 404


def _limits(task) -> tuple[float | None, float | None]:
    conf = current_app.conf
    soft = task.soft_time_limit or conf.task_soft_time_limit
    hard = task.time_limit or conf.task_time_limit
    return soft, hard


def test_row04_every_media_task_has_limits_celery_accepts():
    """The worker refuses a task whose soft limit is above its hard limit
    ("soft_time_limit must be less than or equal to time_limit"): every media task's
    limits, its own or the global ones, must be in order."""
    current_app.loader.import_default_modules()
    tasks = {
        name: task
        for name, task in current_app.tasks.items()
        if name.startswith("media_pipeline.")
    }
    for name, task in tasks.items():
        soft, hard = _limits(task)
        assert soft is not None and hard is not None, name
        assert soft < hard, (name, soft, hard)
    assert {
        "media_pipeline.process_asset",
        "media_pipeline.encode_window",
        "media_pipeline.join_windows",
        "media_pipeline.sweep_stuck_assets",
    } <= set(tasks)
    # The beat entry names a registered task on the video queue.
    entry = django_settings.CELERY_BEAT_SCHEDULE["media-sweep-stuck-assets"]
    assert entry["task"] in tasks
    assert entry["options"]["queue"] == django_settings.VIDEO_TASK_QUEUE


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_row04_whole_worker_killed_mid_transcode_the_sweeper_brings_it_to_ready(
    tmp_path, settings
):
    """A real beat and worker: the only worker is SIGKILLed (main process, pool,
    ffmpeg) while it encodes; a replacement worker starts. The sweeper re-queues the
    lost window within the sweep interval plus the lease, and the asset turns ready
    with one set of outputs."""
    from media_pipeline.models import VideoWindow  # noqa: PLC0415 - the file runs on old code
    from media_pipeline.tasks import process_asset
    from tests.media_pipeline.conftest import _av
    from tests.media_pipeline.test_reliability import _one_set_of_outputs
    from tests.media_pipeline.workers import Celery, shared_database_url

    database_url = shared_database_url()
    lease, sweep = 4, 3
    clip = _av(tmp_path / "lecture.mp4", size="1280x720", seconds=20)
    asset = VideoAsset.objects.create(title="sweeper", original_filename="a.mp4")
    with clip.open("rb") as handle:
        key = default_storage.save(f"videos/sources/{asset.pk}/source.mp4", handle)
    VideoAsset.objects.filter(pk=asset.pk).update(source_path=key, state="uploaded")
    queue = f"video-sweep-{os.getpid()}"
    settings.VIDEO_TASK_QUEUE = queue
    celery = Celery(
        queue=queue,
        env={
            "DATABASE_URL": database_url,
            "VIDEO_LEASE_SECONDS": str(lease),
            "VIDEO_SWEEP_SECONDS": str(sweep),
            "VIDEO_WINDOW_SECONDS": "6",
            "VIDEO_FIRST_WINDOW_SECONDS": "6",
            "VIDEO_X264_PRESET": "veryfast",
            "VIDEO_WORK_DIR": str(tmp_path / "work"),
        },
        log_dir=tmp_path,
    )
    try:
        celery.worker("first")
        celery.beat()
        process_asset.apply_async(args=[str(asset.pk)], queue=queue)
        deadline = time.monotonic() + 120
        held = None
        while time.monotonic() < deadline and held is None:
            held = (
                VideoWindow.objects.filter(
                    asset=asset, state="running", progress__gte=5
                )
                .exclude(kind="audio")
                .first()
            )
            time.sleep(0.1)
        assert held is not None, celery.log("first")[-3000:]
        celery.kill("first")
        killed_at = time.monotonic()
        celery.worker("second")
        retaken = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            job = VideoWindow.objects.get(pk=held.pk)
            if retaken is None and job.attempts >= 2:
                retaken = time.monotonic() - killed_at
            row = VideoAsset.objects.get(pk=asset.pk)
            if row.state in ("ready", "failed", "rejected"):
                break
            time.sleep(0.2)
    finally:
        celery.stop_all()
    assert row.state == "ready", (row.state, row.reason, celery.log("second")[-3000:])
    # The lease lapses `lease` s after the last heartbeat (at most ~1 s before the
    # kill), the next sweep comes within `sweep` s, and the new worker needs a few
    # seconds to start and claim the window.
    # (plus the replacement worker's own start-up, Django and Celery, on a busy host)
    assert retaken is not None and retaken <= lease + sweep + 20, retaken
    print(
        f"window re-taken {retaken:.1f} s after the kill (lease {lease}, sweep {sweep})"
    )
    assert "media_pipeline.sweep_stuck_assets" in celery.log("beat")
    assert "soft_time_limit must be less than" not in celery.log("second")
    _one_set_of_outputs(row)
