"""Workers that die, deliveries that come twice, leases that lapse, the sweeper."""

from __future__ import annotations

import os
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from media_pipeline import services, states
from media_pipeline.models import VideoAsset, VideoWindow
from tests.media_pipeline.conftest import _av, storage_files
from tests.media_pipeline.workers import Celery, shared_database_url

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
def test_live_lease_is_not_taken_over(fast_transcode):
    probing = VideoAsset.objects.create(
        title="busy", state=State.PROBING, heartbeat_at=timezone.now()
    )
    assert services.asset_process(asset_id=probing.pk) == services.Outcome.BUSY
    run = uuid.uuid4()
    asset = VideoAsset.objects.create(
        title="busy window",
        state=State.TRANSCODING,
        run_id=run,
        heartbeat_at=timezone.now(),
    )
    job = VideoWindow.objects.create(
        asset=asset,
        run_id=run,
        index=0,
        start=0,
        end=6,
        state="running",
        attempt=uuid.uuid4(),
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    assert services.job_run(job_id=job.pk) == services.Outcome.BUSY
    # A planned run is not restarted by a late delivery of process_asset.
    assert services.asset_process(asset_id=asset.pk) == services.Outcome.NOTHING
    job.refresh_from_db()
    assert job.attempts == 1 and job.state == "running"


def _planned(clip, django_capture_on_commit_callbacks) -> VideoAsset:
    asset = VideoAsset.objects.create(title="windows", original_filename="a.mp4")
    with clip.open("rb") as handle:
        key = default_storage.save(f"videos/sources/{asset.pk}/source.mp4", handle)
    VideoAsset.objects.filter(pk=asset.pk).update(source_path=key, state=State.UPLOADED)
    with django_capture_on_commit_callbacks():
        services.asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    return asset


@pytest.mark.slow
@pytest.mark.django_db
def test_window_of_a_dead_worker_is_redone_and_its_outputs_removed(
    chunk_clips, small_windows, django_capture_on_commit_callbacks
):
    asset = _planned(chunk_clips["no_audio"], django_capture_on_commit_callbacks)
    jobs = {j.index: j for j in VideoWindow.objects.filter(asset=asset, kind="video")}
    assert services.job_run(job_id=jobs[0].pk, queue_join=False) == "done"
    # Window 1 was held by a worker that died after uploading part of its outputs.
    dead = uuid.uuid4()
    VideoWindow.objects.filter(pk=jobs[1].pk).update(
        state="running",
        attempt=dead,
        attempts=1,
        worker="dead-host:1",
        workers=["dead-host:1"],
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    prefix = f"videos/hls/{asset.pk}/{asset.run_id.hex}"
    default_storage.save(f"{prefix}/w0001.{dead.hex[:8]}/360p.mp4", ContentFile(b"x"))

    assert services.job_run(job_id=jobs[1].pk, queue_join=False) == "done"
    assert services.job_run(job_id=jobs[2].pk, queue_join=False) == "done"
    redone = VideoWindow.objects.get(pk=jobs[1].pk)
    assert redone.attempts == 2 and redone.workers[0] == "dead-host:1"
    assert redone.workers[1] != "dead-host:1" and redone.state == "done"
    # A second delivery of a done window changes nothing.
    files = sorted(storage_files(prefix))
    assert services.job_run(job_id=jobs[1].pk) == services.Outcome.NOTHING
    assert sorted(storage_files(prefix)) == files
    assert services.join_run(asset_id=asset.pk, run_id=asset.run_id) == "done"
    asset.refresh_from_db()
    assert asset.state == State.READY
    folders = sorted(default_storage.listdir(prefix)[0])
    assert folders == sorted(
        [j.outputs["folder"] for j in VideoWindow.objects.filter(asset=asset)]
    )
    assert f"w0001.{dead.hex[:8]}" not in folders
    # A second join changes nothing either.
    files = sorted(storage_files(f"videos/hls/{asset.pk}"))
    assert services.join_run(asset_id=asset.pk, run_id=asset.run_id) == "nothing"
    assert sorted(storage_files(f"videos/hls/{asset.pk}")) == files


@pytest.mark.django_db
def test_sweeper_requeues_what_was_left_behind(
    settings, django_capture_on_commit_callbacks
):
    stale = timezone.now() - timedelta(hours=2)
    lost = VideoAsset.objects.create(
        title="lost", state=State.PROBING, heartbeat_at=stale
    )
    tired = VideoAsset.objects.create(
        title="tired",
        state=State.PROBING,
        heartbeat_at=stale,
        retries=settings.VIDEO_MAX_RETRIES,
    )
    fresh = VideoAsset.objects.create(
        title="fresh", state=State.PROBING, heartbeat_at=timezone.now()
    )
    run = uuid.uuid4()
    windows = VideoAsset.objects.create(
        title="windows",
        state=State.TRANSCODING,
        run_id=run,
        heartbeat_at=timezone.now(),
    )
    dead_job = VideoWindow.objects.create(
        asset=windows,
        run_id=run,
        index=0,
        start=0,
        end=6,
        state="running",
        heartbeat_at=stale,
    )
    live_job = VideoWindow.objects.create(
        asset=windows,
        run_id=run,
        index=1,
        start=6,
        end=12,
        state="running",
        heartbeat_at=timezone.now(),
    )
    queued_job = VideoWindow.objects.create(
        asset=windows, run_id=run, index=2, start=12, end=18
    )
    run2 = uuid.uuid4()
    joining = VideoAsset.objects.create(
        title="join", state=State.PUBLISHING, run_id=run2, heartbeat_at=stale
    )
    VideoWindow.objects.create(
        asset=joining, run_id=run2, index=0, start=0, end=6, state="done"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.assets_sweep_stuck()
    assert set(result["requeued"]) == {str(lost.pk), str(tired.pk)}
    # A pending window waits for a worker while its run is alive.
    assert result["jobs_requeued"] == [dead_job.pk]
    assert live_job.pk not in result["jobs_requeued"]
    assert queued_job.pk not in result["jobs_requeued"]
    assert result["joins"] == [str(joining.pk)]
    assert len(callbacks) == 4
    assert str(fresh.pk) not in result["requeued"]
    # ... and is re-queued once nobody works on the run any more.
    VideoAsset.objects.filter(pk=windows.pk).update(heartbeat_at=stale)
    with django_capture_on_commit_callbacks():
        again = services.assets_sweep_stuck()
    assert sorted(again["jobs_requeued"]) == sorted([dead_job.pk, queued_job.pk])
    # the re-queued task for an asset out of retries fails it, with a reason
    assert services.asset_process(asset_id=tired.pk) == services.Outcome.NOTHING
    tired.refresh_from_db()
    assert tired.state == State.FAILED and tired.reason


def test_every_state_write_is_a_listed_transition():
    """The machines refuse what they do not list (issue 18): no running window can
    become pending again, a ready asset only goes back through a new upload."""
    assert not states.job_may_move(states.JobState.DONE, states.JobState.RUNNING)
    assert not states.asset_may_move(State.READY, State.TRANSCODING)
    with pytest.raises(services.IllegalTransition):
        services.asset_set_state(
            asset_id=uuid.uuid4(), from_states=[State.READY], to_state=State.PROBING
        )
    with pytest.raises(services.IllegalTransition):
        services.job_set_state(
            job_id=1,
            from_states=[states.JobState.DONE],
            to_state=states.JobState.PENDING,
        )
    source = (ROOT / "media_pipeline").rglob("*.py")
    writes = [
        f"{path.name}:{n}"
        for path in source
        if path.name not in {"services.py", "states.py"}
        and "migrations" not in str(path)
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bstate\s*=\s*(State|states|Job|VideoAsset\.State)\.", line)
        and "filter(" not in line
    ]
    assert writes == []
    text = (ROOT / "media_pipeline" / "services.py").read_text()
    # Outside the two set_state functions no update() names the state column.
    outside = text.replace(
        text[text.index("def _compare_and_set(") : text.index("# --- Creation")], ""
    )
    assert not re.search(r"\.update\([^)]*\bstate=", outside, flags=re.S)


def _one_set_of_outputs(asset) -> None:
    run_dirs = [
        d
        for d in default_storage.listdir(f"videos/hls/{asset.pk}")[0]
        if d != "captions"
    ]
    assert run_dirs == [asset.output_prefix.rsplit("/", 1)[1]]
    referenced = {j.outputs["folder"] for j in VideoWindow.objects.filter(asset=asset)}
    inner = set(default_storage.listdir(asset.output_prefix)[0]) - {"subs"}
    assert inner == referenced
    masters = [
        f for f in storage_files(f"videos/hls/{asset.pk}") if f.endswith("master.m3u8")
    ]
    assert masters == [asset.master_playlist]


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_one_killed_mid_window_ready_with_one_set_of_outputs(
    clips, tmp_path, settings
):
    """Issue 15, Show 2: two real worker processes share a run of six windows; one is
    SIGKILLed (main process, pool and ffmpeg) in the middle of its second window. The
    other redoes that window once its lease lapses, and the asset is ready with one set
    of outputs, its record naming windows done by both workers."""
    database_url = shared_database_url()
    clip = _av(tmp_path / "thirty.mp4", size="1280x720", seconds=36)
    asset = VideoAsset.objects.create(title="two workers", original_filename="a.mp4")
    with clip.open("rb") as handle:
        key = default_storage.save(f"videos/sources/{asset.pk}/source.mp4", handle)
    VideoAsset.objects.filter(pk=asset.pk).update(source_path=key, state=State.UPLOADED)
    queue = f"video-two-{os.getpid()}"
    settings.VIDEO_TASK_QUEUE = queue
    celery = Celery(
        queue=queue,
        env={
            "DATABASE_URL": database_url,
            "VIDEO_LEASE_SECONDS": "4",
            "VIDEO_SWEEP_SECONDS": "2",
            "VIDEO_WINDOW_SECONDS": "6",
            "VIDEO_FIRST_WINDOW_SECONDS": "6",
            "VIDEO_X264_PRESET": "veryfast",  # a window lasts a few seconds
            "VIDEO_WORK_DIR": str(tmp_path / "work"),
        },
        log_dir=tmp_path,
    )
    try:
        celery.worker("a")
        celery.worker("b")
        celery.beat()
        from media_pipeline.tasks import process_asset

        process_asset.apply_async(args=[str(asset.pk)], queue=queue)
        deadline = time.monotonic() + 180
        victim = None
        while time.monotonic() < deadline and victim is None:
            pids = celery.pids("a")
            mine = [
                j
                for j in VideoWindow.objects.filter(asset=asset)
                if j.worker and int(j.worker.rsplit(":", 1)[1]) in pids
            ]
            done = [j for j in mine if j.state == "done"]
            running = [
                j
                for j in mine
                if j.state == "running" and j.progress >= 5 and j.kind == "video"
            ]
            if done and running:
                victim = running[0]
            time.sleep(0.1)
        assert victim is not None, celery.log("a")[-3000:]
        ffmpegs = [
            p
            for pid in celery.pids("a")
            for p in [psutil.Process(pid)]
            if "ffmpeg" in p.name()
        ]
        assert ffmpegs, "ffmpeg is not running under worker a"
        celery.kill("a")  # the whole worker dies mid-window
        psutil.wait_procs(ffmpegs, timeout=10)
        assert not any(p.is_running() and p.status() != "zombie" for p in ffmpegs)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            row = VideoAsset.objects.get(pk=asset.pk)
            if row.state in (State.READY, State.FAILED, State.REJECTED):
                break
            time.sleep(0.5)
    finally:
        celery.stop_all()
    assert row.state == State.READY, (row.state, row.reason, celery.log("b")[-3000:])
    jobs = list(VideoWindow.objects.filter(asset=asset))
    assert len([j for j in jobs if j.kind == "video"]) == 6
    redone = next(j for j in jobs if j.pk == victim.pk)
    assert redone.attempts == 2 and len(redone.workers) == 2
    assert redone.workers[0] == victim.worker and redone.worker != victim.worker
    hosts = {j.worker.rsplit(":", 1)[1] for j in jobs}
    assert len(hosts) >= 2  # windows done by both workers
    _one_set_of_outputs(row)
