"""First playable and full ladder of the chunked video pipeline, against the one-process
pipeline on the same clip, in one run; and a scaling table that is a MODEL.

    .venv/bin/python benchmarks/first_playable.py [--minutes 5] [--workers 2]
                                                  [--preset veryfast] [--quick]

The clip is transcode_rtf.py's 1080p30 camera-like lecture (a slide, a moving picture,
sensor noise at 16 Mbit/s, a tone), `--minutes` long. Measured:

  baseline  the one-process pipeline (chunking off: one window, one ffmpeg process that
            decodes once and encodes the whole ladder), through asset_import_file;
  chunked   the same clip uploaded and processed by `--workers` real Celery worker
            processes (concurrency 1 each): `process_asset` probes and plans, one task
            per window and one for the audio, then the join.

Figures: first playable (the moment the asset's master lists the first window and the
audio, checked by ffmpeg playing the first seconds of the served master over HTTP) as a
share of the clip's duration (target <= 10 %); the full ladder's real-time factor (target
>= 1.0x); full ladder time over the baseline's (target <= 1.10).

Then a table for a 60-minute lecture on 1, 2, 4, 8 and 16 workers. It is computed, not
measured: from the per-window encode times of this run (seconds of work per second of
video, each worker having had one core here), the measured split overhead (upload to the
first job started) and join overhead (last job done to ready), with the jobs handed out
in queue order to whichever worker is free first.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _common  # noqa: E402
from transcode_rtf import long_clip  # noqa: E402

ROOT = HERE.parent


def _workers(count: int, env: dict, log_dir: Path) -> list[subprocess.Popen]:
    processes = []
    for i in range(count):
        log = (log_dir / f"worker{i}.log").open("wb")
        processes.append(
            subprocess.Popen(
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
                    env["VIDEO_TASK_QUEUE"],
                    "-n",
                    f"bench{i}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return processes


def _stop(processes) -> None:
    """Workers lead their own process group; gunicorn is a plain child."""
    for process in processes:
        if process.poll() is not None:
            continue
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _plays(master_url: str) -> float:
    """Seconds of picture and sound that ffmpeg decodes from the served master."""
    from media_pipeline.ffmpeg import ffmpeg_binary

    started = time.perf_counter()
    out = subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-v",
            "error",
            "-i",
            master_url,
            "-map",
            "0:v:0",
            "-map",
            "0:a:0?",
            "-t",
            "5",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode != 0:
        raise SystemExit(
            f"the first playable master does not play: {out.stderr[-800:]}"
        )
    return time.perf_counter() - started


def model(
    *,
    minutes: int,
    workers: int,
    video_rate: float,
    audio_rate: float,
    split_s: float,
    join_s: float,
    first_window: int,
    window: int,
) -> tuple[float, float]:
    """(full ladder seconds, first playable seconds) of a lecture in the MODEL."""
    duration = minutes * 60.0
    edges = [0.0, float(first_window)]
    while edges[-1] + window < duration:
        edges.append(edges[-1] + window)
    edges.append(duration)
    jobs = [(edges[i + 1] - edges[i]) * video_rate for i in range(len(edges) - 1)]
    jobs.insert(1, duration * audio_rate)
    free = [split_s] * workers
    ends = []
    for work in jobs:
        i = min(range(workers), key=free.__getitem__)
        free[i] += work
        ends.append(free[i])
    return max(free) + join_s, max(ends[0], ends[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--quick", action="store_true", help="a 1-minute clip")
    args = parser.parse_args()
    if args.quick:
        args.minutes = 1

    tmp = Path(tempfile.mkdtemp(prefix="first-playable-"))
    url = _common.database_url("first_playable")
    env = {
        "VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "media"),
        "VIDEO_WORK_DIR": str(tmp / "work"),
        "VIDEO_X264_PRESET": args.preset,
        "VIDEO_TASK_QUEUE": f"bench-video-{os.getpid()}",
        "CELERY_BROKER_URL": "filesystem://",
        "SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "LOG_LEVEL": "WARNING",
    }
    for key in ("AWS_STORAGE_BUCKET_NAME", "CELERY_RESULT_BACKEND"):
        os.environ.pop(key, None)
    _common.django_setup(url, **env)
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.test import override_settings

    from config.celery import ensure_embedded_broker_dirs
    from media_pipeline import ffmpeg, services
    from media_pipeline.models import VideoAsset, VideoWindow
    from media_pipeline.selectors import asset_playback
    from media_pipeline.tasks import process_asset

    ensure_embedded_broker_dirs()
    servers = []
    try:
        started = time.perf_counter()
        clip = long_clip(tmp, args.minutes, "camera")
        make_s = time.perf_counter() - started
        probe = ffmpeg.parse_probe(ffmpeg.ffprobe_json(clip), clip.stat().st_size)
        duration = probe.duration
        subprocess.run(
            [ffmpeg.ffmpeg_binary(), "-v", "error", "-i", str(clip), "-f", "null", "-"],
            check=True,
        )  # warm the page cache and the binaries, outside the timings

        # Baseline: today's one-process pipeline on the same clip.
        with override_settings(VIDEO_WINDOW_SECONDS=10**6):
            started = time.perf_counter()
            one = services.asset_import_file(path=clip, title="one process")
            baseline_s = time.perf_counter() - started
        if one.state != "ready":
            raise SystemExit(f"baseline ended in {one.state}: {one.reason}")

        # Chunked, through real workers; the web server serves the playlists.
        port = _common.free_port()
        child_env = {**os.environ, **env, "DATABASE_URL": url}
        servers.append(_common.start_gunicorn(port=port, env=child_env, workers=1))
        print(f"baseline (one process): {baseline_s:.1f} s", flush=True)
        servers += _workers(args.workers, child_env, tmp)
        time.sleep(3)  # let the workers connect
        asset = VideoAsset.objects.create(title="chunked", original_filename=clip.name)
        with clip.open("rb") as handle:
            key = default_storage.save(f"videos/sources/{asset.pk}/source.mp4", handle)
        from django.utils import timezone

        VideoAsset.objects.filter(pk=asset.pk).update(source_path=key, state="uploaded")
        t0 = timezone.now()
        process_asset.apply_async(args=[str(asset.pk)], queue=env["VIDEO_TASK_QUEUE"])
        first_playable_s = None
        plays_s = None
        deadline = time.monotonic() + duration * 6 + 300
        while time.monotonic() < deadline:
            row = VideoAsset.objects.get(pk=asset.pk)
            if first_playable_s is None and row.playable_at:
                first_playable_s = (row.playable_at - t0).total_seconds()
                playback = asset_playback(asset=row, user=None)
                plays_s = _plays(f"http://127.0.0.1:{port}{playback['master_url']}")
            if row.state in ("ready", "failed", "rejected"):
                break
            time.sleep(0.2)
        if row.state != "ready":
            raise SystemExit(f"chunked run ended in {row.state}: {row.reason}")
        full_s = (row.ready_at - t0).total_seconds()
        jobs = list(VideoWindow.objects.filter(asset=row, run_id=row.run_id))
    finally:
        _stop(servers)

    windows = [j for j in jobs if j.kind == "video"]
    audio = [j for j in jobs if j.kind == "audio"]
    work = {j.pk: (j.finished_at - j.started_at).total_seconds() for j in jobs}
    video_rate = sum(work[j.pk] for j in windows) / sum(
        j.end - j.start for j in windows
    )
    audio_rate = (
        sum(work[j.pk] for j in audio) / sum(j.end - j.start for j in audio)
        if audio
        else 0
    )
    split_s = (min(j.started_at for j in jobs) - t0).total_seconds()
    join_s = (row.ready_at - max(j.finished_at for j in jobs)).total_seconds()
    shutil.rmtree(tmp, ignore_errors=True)
    _common.database_drop(url)

    cpus = os.cpu_count()
    common = (
        f"{args.minutes} min 1080p30 camera clip ({duration:.0f} s), preset"
        f" {args.preset}, {args.workers} workers on {cpus} cpus, {len(windows)} windows"
        f" of {settings.VIDEO_WINDOW_SECONDS} s (first {settings.VIDEO_FIRST_WINDOW_SECONDS}"
        f" s) + audio; clip made in {make_s:.0f} s"
    )
    share = first_playable_s / duration
    _common.report(
        "first playable (share of the clip's duration)",
        value=share * 100,
        unit="%",
        baseline=baseline_s / duration * 100,
        target="<= 10 %",
        met=share <= 0.10,
        notes=f"{first_playable_s:.1f} s after the upload; ffmpeg played 5 s of the"
        f" served master in {plays_s:.1f} s; baseline = the one-process pipeline's"
        f" first (and only) master, {baseline_s:.1f} s; {common}",
    )
    rtf = duration / full_s
    _common.report(
        "full ladder real-time factor (chunked)",
        value=rtf,
        unit="x real time",
        baseline=duration / baseline_s,
        target=">= 1.0x",
        met=rtf >= 1.0,
        notes=f"chunked {full_s:.1f} s, one process {baseline_s:.1f} s; {common}",
    )
    _common.report(
        "full ladder time, chunked / one process",
        value=full_s,
        unit="s",
        baseline=baseline_s,
        target="<= 1.10",
        met=full_s / baseline_s <= 1.10,
        notes=f"split {split_s:.1f} s, join {join_s:.1f} s, per window"
        f" {video_rate:.2f} s of work per s of video, audio {audio_rate:.3f}; {common}",
    )
    print()
    print("MODEL, NOT MEASURED: a 60-minute lecture on N workers (one core each),")
    print(
        f"computed from this run's {video_rate:.2f} s of work per second of video per"
        f" window, audio {audio_rate:.3f} s/s, split {split_s:.1f} s and join"
        f" {join_s:.1f} s, jobs handed out in queue order."
    )
    print(
        f"{'workers':>8} {'full ladder':>12} {'real time':>10} {'first playable':>15}"
    )
    lecture = functools.partial(
        model,
        minutes=60,
        video_rate=video_rate,
        audio_rate=audio_rate,
        split_s=split_s,
        join_s=join_s,
        first_window=settings.VIDEO_FIRST_WINDOW_SECONDS,
        window=settings.VIDEO_WINDOW_SECONDS,
    )
    rows = []
    for n in (1, 2, 4, 8, 16):
        full, first = lecture(workers=n)
        rows.append(
            f"N={n}: {full / 60:.1f} min ({3600 / full:.2f}x), first {first:.0f} s"
        )
        print(f"{n:>8} {full / 60:>9.1f} min {3600 / full:>9.2f}x {first:>13.0f} s")
    _common.report(
        "MODEL (not measured): 60-min lecture, full ladder on 16 workers",
        value=lecture(workers=16)[0] / 60,
        unit="min",
        baseline=None,
        target="a model, no target",
        met=True,
        notes="MODEL computed from this run's per-window times, split and join: "
        + "; ".join(rows),
    )


if __name__ == "__main__":
    main()
