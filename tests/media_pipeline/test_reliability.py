"""Show 3: a worker killed mid-transcode; double delivery; lapsed leases; the sweeper."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from media_pipeline import services
from media_pipeline.models import VideoAsset
from tests.conftest import require_service
from tests.media_pipeline.conftest import storage_files

ROOT = Path(__file__).resolve().parents[2]
State = VideoAsset.State


def _run_dirs(asset_id) -> list[str]:
    try:
        dirs, _files = default_storage.listdir(f"videos/hls/{asset_id}")
    except FileNotFoundError:
        return []
    return sorted(d for d in dirs if d != "captions")


@pytest.mark.django_db
def test_second_delivery_after_ready_changes_nothing(clips, fast_transcode):
    asset = services.asset_import_file(path=clips["no_audio"], title="twice")
    files = sorted(storage_files(f"videos/hls/{asset.pk}"))

    assert services.asset_process(asset_id=asset.pk) == services.Outcome.NOTHING
    asset.refresh_from_db()
    assert asset.state == State.READY
    assert sorted(storage_files(f"videos/hls/{asset.pk}")) == files
    assert len(_run_dirs(asset.pk)) == 1


@pytest.mark.django_db
def test_live_lease_is_not_taken_over(clips, fast_transcode):
    asset = services.asset_import_file(path=clips["no_audio"], title="busy")
    VideoAsset.objects.filter(pk=asset.pk).update(
        state=State.TRANSCODING, heartbeat_at=timezone.now()
    )
    assert services.asset_process(asset_id=asset.pk) == services.Outcome.BUSY


@pytest.mark.django_db
def test_lapsed_run_is_taken_over_and_its_outputs_removed(clips, fast_transcode):
    asset = services.asset_import_file(path=clips["no_audio"], title="lapsed")
    old_prefix = asset.output_prefix
    # a run died after uploading part of its outputs under its own key
    default_storage.save(
        f"videos/hls/{asset.pk}/deadrun/360p/seg_00000.m4s", ContentFile(b"x")
    )
    VideoAsset.objects.filter(pk=asset.pk).update(
        state=State.TRANSCODING,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )

    assert services.asset_process(asset_id=asset.pk) == services.Outcome.DONE
    asset.refresh_from_db()
    assert asset.state == State.READY and asset.retries == 1
    assert _run_dirs(asset.pk) == [asset.output_prefix.rsplit("/", 1)[1]]
    assert asset.output_prefix != old_prefix


@pytest.mark.django_db
def test_sweeper_requeues_stale_and_fails_exhausted(
    settings, django_capture_on_commit_callbacks
):
    stale = timezone.now() - timedelta(hours=2)
    lost = VideoAsset.objects.create(
        title="lost", state=State.TRANSCODING, heartbeat_at=stale
    )
    tired = VideoAsset.objects.create(
        title="tired",
        state=State.TRANSCODING,
        heartbeat_at=stale,
        retries=settings.VIDEO_MAX_RETRIES,
    )
    fresh = VideoAsset.objects.create(
        title="fresh", state=State.TRANSCODING, heartbeat_at=timezone.now()
    )
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.assets_sweep_stuck()
    assert set(result["requeued"]) == {str(lost.pk), str(tired.pk)}
    assert len(callbacks) == 2
    assert str(fresh.pk) not in result["requeued"]
    # the re-queued task for an asset out of retries fails it, with a reason
    assert services.asset_process(asset_id=tired.pk) == services.Outcome.NOTHING
    tired.refresh_from_db()
    assert tired.state == State.FAILED and tired.reason


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_transcode_still_ready_with_one_set_of_outputs(
    clips, tmp_path
):
    require_service("DATABASE_URL", "a worker process sharing the test database")
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database over PostgreSQL")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    asset = VideoAsset.objects.create(title="killed", original_filename="landscape.mp4")
    with clips["landscape"].open("rb") as handle:
        key = default_storage.save(f"videos/sources/{asset.pk}/source.mp4", handle)
    VideoAsset.objects.filter(pk=asset.pk).update(source_path=key, state=State.UPLOADED)

    queue = f"video-kill-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "VIDEO_LEASE_SECONDS": "3",
        "VIDEO_X264_PRESET": "medium",  # slow enough to be caught in the middle
        "VIDEO_WORK_DIR": str(tmp_path / "work"),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        from media_pipeline.tasks import process_asset

        process_asset.apply_async(args=[str(asset.pk)], queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            row = VideoAsset.objects.get(pk=asset.pk)
            if row.state == State.TRANSCODING and row.progress >= 1:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"transcoding never started: {row.state}")
        pool = psutil.Process(worker.pid).children()
        assert pool, "no pool process"
        ffmpegs = [p for p in pool[0].children(recursive=True) if "ffmpeg" in p.name()]
        assert ffmpegs, "ffmpeg is not running under the pool process"
        os.kill(pool[0].pid, signal.SIGKILL)  # the worker dies mid-transcode
        psutil.wait_procs(ffmpegs, timeout=10)
        assert not any(p.is_running() and p.status() != "zombie" for p in ffmpegs)

        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            row = VideoAsset.objects.get(pk=asset.pk)
            if row.state in (State.READY, State.FAILED, State.REJECTED):
                break
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)

    assert row.state == State.READY, (row.state, row.reason)
    assert row.retries == 1  # the redelivered task took over the dead run
    assert _run_dirs(asset.pk) == [row.output_prefix.rsplit("/", 1)[1]]
    masters = [
        f for f in storage_files(f"videos/hls/{asset.pk}") if f.endswith("master.m3u8")
    ]
    assert masters == [row.master_playlist]
    assert not any((tmp_path / "work").glob("*/*"))
