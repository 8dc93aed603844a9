"""What happens to a video asset: creation, upload, processing, captions, deletion.

Every state change goes through `asset_set_state` (the asset) or `job_set_state` (an
encoding job of a run), compare-and-sets on the row that refuse a transition the machine
in `states.py` does not list.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from core.problems import Conflict, Problem
from core.tasks import enqueue_on_commit
from core.uploads import UploadRefused, check_upload
from media_pipeline import ffmpeg, hls, mp4, states
from media_pipeline.models import VideoAsset, VideoCaption, VideoWindow
from media_pipeline.selectors import run_outputs

logger = logging.getLogger(__name__)
State = states.AssetState
Job = states.JobState
ACTIVE_STATES = tuple(states.ACTIVE)
SOURCE_PREFIX = "videos/sources"
OUTPUT_PREFIX = "videos/hls"


class InvalidUpload(Problem):
    status = 422
    type = "urn:slacademy:problem:invalid-upload"
    title = "올릴 수 없는 파일입니다."


class Rejected(Exception):
    """The input is not a video we accept; `reason` is Korean text for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- The state machine ------------------------------------------------------------------------


class IllegalTransition(ValueError):
    """A programming error: the machine in states.py has no such transition."""


def _compare_and_set(
    rows, *, machine: str, may_move, from_states, to_state: str, where, fields
) -> int:
    # Only the listed transitions: a state of `from_states` that may not move to
    # `to_state` does not match; none that may is a programming error.
    from_states = [f for f in from_states if may_move(f, to_state)]
    if not from_states:
        raise IllegalTransition(f"{machine}: -> {to_state}")
    rows = rows.filter(state__in=from_states)
    if where is not None:
        rows = rows.filter(where)
    return rows.update(state=to_state, **fields)


def asset_set_state(
    *,
    asset_id,
    from_states,
    to_state: str,
    run_id: uuid.UUID | None = None,
    where: Q | None = None,
    new_run_id: uuid.UUID | None = None,
    **fields,
) -> bool:
    """Move the asset to `to_state` only if it is in one of `from_states` (and held by
    `run_id`, and matches `where`, when given); `new_run_id` hands it to a new run.
    Returns whether this call made the change; the state is written nowhere else."""
    rows = VideoAsset.objects.filter(pk=asset_id)
    if run_id is not None:
        rows = rows.filter(run_id=run_id)
    if new_run_id is not None:
        fields["run_id"] = new_run_id
    changed = _compare_and_set(
        rows,
        machine="video asset",
        may_move=states.asset_may_move,
        from_states=from_states,
        to_state=to_state,
        where=where,
        fields={"state_changed_at": timezone.now(), **fields},
    )
    if changed:
        logger.info("video %s -> %s", asset_id, to_state)
    return bool(changed)


def job_set_state(
    *,
    job_id,
    from_states,
    to_state: str,
    attempt: uuid.UUID | None = None,
    where: Q | None = None,
    new_attempt: uuid.UUID | None = None,
    **fields,
) -> bool:
    """The same compare-and-set for one encoding job (a window, or the audio), held by
    `attempt` when given; `new_attempt` hands it to a new worker's attempt."""
    rows = VideoWindow.objects.filter(pk=job_id)
    if attempt is not None:
        rows = rows.filter(attempt=attempt)
    if new_attempt is not None:
        fields["attempt"] = new_attempt
    changed = _compare_and_set(
        rows,
        machine="video job",
        may_move=states.job_may_move,
        from_states=from_states,
        to_state=to_state,
        where=where,
        fields=fields,
    )
    if changed:
        logger.info("video job %s -> %s", job_id, to_state)
    return bool(changed)


# --- Creation and upload ----------------------------------------------------------------------


def _extension(filename: str) -> str:
    return Path(filename).suffix.lower().lstrip(".")


def asset_validate_upload(*, filename: str, size_bytes: int) -> None:
    """Limits checked before any byte is accepted."""
    if _extension(filename) not in settings.VIDEO_ALLOWED_EXTENSIONS:
        raise InvalidUpload(
            _("영상 파일(%(ext)s)만 올릴 수 있습니다.")
            % {"ext": ", ".join(settings.VIDEO_ALLOWED_EXTENSIONS)}
        )
    if size_bytes <= 0:
        raise InvalidUpload(_("빈 파일은 올릴 수 없습니다."))
    if size_bytes > settings.VIDEO_MAX_UPLOAD_BYTES:
        raise InvalidUpload(
            _("파일이 너무 큽니다. 최대 %(gb).0f GB까지 올릴 수 있습니다.")
            % {"gb": settings.VIDEO_MAX_UPLOAD_BYTES / 1024**3}
        )


def asset_create(
    *, title: str, filename: str, size_bytes: int, uploaded_by=None
) -> VideoAsset:
    asset_validate_upload(filename=filename, size_bytes=size_bytes)
    asset = VideoAsset(
        title=title or Path(filename).stem,
        original_filename=Path(filename).name[:255],
        size_bytes=size_bytes,
        uploaded_by=uploaded_by,
    )
    ext = _extension(filename)
    asset.source_path = f"{SOURCE_PREFIX}/{asset.id}/source.{ext}"
    asset.save()
    return asset


def asset_mark_uploaded(*, asset: VideoAsset) -> None:
    """The source is in storage: enqueue processing once the transaction commits."""
    if asset_set_state(
        asset_id=asset.pk,
        from_states=[State.CREATED, State.UPLOADING],
        to_state=State.UPLOADED,
    ):
        _enqueue_processing(asset.pk)
    else:
        raise Conflict(_("이미 업로드가 끝난 영상입니다."))


def _queued(task, *args) -> None:
    """Send a task of the pipeline once the transaction commits, to its queue."""
    enqueue_on_commit(task, *args, options={"queue": settings.VIDEO_TASK_QUEUE})


def _enqueue_processing(asset_id) -> None:
    # Late: tasks.py imports this module (tasks call services, services queue tasks).
    from media_pipeline.tasks import process_asset

    _queued(process_asset, str(asset_id))


def asset_import_file(*, path, title: str, uploaded_by=None) -> VideoAsset:
    """Run the whole pipeline on a local file, synchronously (the windows one after
    another in this process); returns the asset in its final state (ready, rejected or
    failed). Used by import_videos and seed_demo."""
    path = Path(path)
    size = path.stat().st_size if path.exists() else 0
    asset = VideoAsset.objects.create(
        title=title or path.stem,
        original_filename=path.name[:255],
        size_bytes=size,
        uploaded_by=uploaded_by,
    )
    if not path.is_file():
        asset_set_state(
            asset_id=asset.pk,
            from_states=[State.CREATED],
            to_state=State.REJECTED,
            reason=_("파일을 찾을 수 없습니다."),
        )
        asset.refresh_from_db()
        return asset
    ext = _extension(path.name) or "bin"
    key = f"{SOURCE_PREFIX}/{asset.id}/source.{ext}"
    with path.open("rb") as handle:
        key = default_storage.save(key, File(handle, name=path.name))
    VideoAsset.objects.filter(pk=asset.pk).update(source_path=key)
    asset_set_state(
        asset_id=asset.pk, from_states=[State.CREATED], to_state=State.UPLOADED
    )
    asset_process(asset_id=asset.pk, inline=True)
    asset.refresh_from_db()
    if asset.state == State.PUBLISHING:
        join_run(asset_id=asset.pk, run_id=asset.run_id)
        asset.refresh_from_db()
    return asset


def asset_reprocess(*, asset: VideoAsset) -> None:
    """Run the pipeline again from the stored source (after a failure, or by choice)."""
    if not asset_set_state(
        asset_id=asset.pk,
        from_states=[State.READY, State.FAILED, State.REJECTED],
        to_state=State.UPLOADED,
        retries=0,
        reason="",
        progress=0,
    ):
        raise Conflict(_("처리 중인 영상은 다시 처리할 수 없습니다."))
    _enqueue_processing(asset.pk)


def asset_delete(*, asset: VideoAsset) -> None:
    prefix_source = f"{SOURCE_PREFIX}/{asset.pk}"
    prefix_output = f"{OUTPUT_PREFIX}/{asset.pk}"
    asset.delete()
    for prefix in (prefix_source, prefix_output):
        transaction.on_commit(lambda p=prefix: storage_delete_tree(p))


# --- Processing: claiming a run ---------------------------------------------------------


class Outcome:
    DONE = "done"
    BUSY = "busy"  # another live run or job holds it; try again after its lease
    NOTHING = "nothing"


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.VIDEO_LEASE_SECONDS)


def _claim(asset_id) -> uuid.UUID | None:
    """Take the asset for a new run: fresh from upload, or from a run whose lease lapsed
    before it had planned its windows (a chunked run's windows are taken over one by one
    instead, see `job_run`)."""
    run_id = uuid.uuid4()
    now = timezone.now()
    fresh = dict(new_run_id=run_id, heartbeat_at=now, progress=0, playable_at=None)
    if asset_set_state(
        asset_id=asset_id, from_states=[State.UPLOADED], to_state=State.PROBING, **fresh
    ):
        return run_id
    planned = VideoWindow.objects.filter(
        asset=OuterRef("pk"), run_id=OuterRef("run_id")
    )
    lapsed = (Q(heartbeat_at__lt=_stale_before()) | Q(heartbeat_at__isnull=True)) & ~Q(
        Exists(planned)
    )
    if asset_set_state(
        asset_id=asset_id,
        from_states=states.ACTIVE,
        to_state=State.PROBING,
        where=lapsed & Q(retries__lt=settings.VIDEO_MAX_RETRIES),
        retries=F("retries") + 1,
        **fresh,
    ):
        logger.warning("video %s: took over a stale run", asset_id)
        return run_id
    asset_set_state(
        asset_id=asset_id,
        from_states=states.ACTIVE,
        to_state=State.FAILED,
        where=lapsed & Q(retries__gte=settings.VIDEO_MAX_RETRIES),
        reason=_("여러 번 시도했지만 처리하지 못했습니다. 다시 처리해 주세요."),
        heartbeat_at=None,
    )
    return None


def _heartbeat(asset_id, run_id, progress: int | None = None) -> None:
    fields = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = progress
    VideoAsset.objects.filter(pk=asset_id, run_id=run_id).update(**fields)


def _work_dir(asset_id) -> Path:
    return Path(settings.VIDEO_WORK_DIR) / str(asset_id)


def _local_source(asset: VideoAsset, work: Path) -> Path:
    """A local path of the source; downloaded in chunks (once per machine and run) when
    the storage is remote."""
    try:
        return Path(default_storage.path(asset.source_path))
    except NotImplementedError:
        target = work / ("source" + Path(asset.source_path).suffix)
        if target.exists():
            return target
        partial = target.with_suffix(f".part-{uuid.uuid4().hex[:8]}")
        with (
            default_storage.open(asset.source_path, "rb") as src,
            partial.open("wb") as dst,
        ):
            shutil.copyfileobj(src, dst, 1024 * 1024)
        partial.replace(target)
        return target


def _run_work(asset_id, run_id) -> Path:
    work = _work_dir(asset_id) / run_id.hex
    work.mkdir(parents=True, exist_ok=True)
    return work


def _clean_work(asset_id, keep_run=None) -> None:
    """Leftovers of earlier runs on this machine go (a straggling process of an earlier
    run can never write into a later run's folder)."""
    base = _work_dir(asset_id)
    if not base.exists():
        return
    for child in base.iterdir():
        if keep_run is None or child.name != keep_run.hex:
            shutil.rmtree(child, ignore_errors=True)
    if not any(base.iterdir()):
        base.rmdir()


_SNIFF_REJECT = (
    (b"#EXTM3U", "HLS 재생목록"),
    (b"ffconcat", "연결 목록(concat)"),
    (b"file '", "연결 목록(concat)"),
    (b'file "', "연결 목록(concat)"),
    (b"<?xml", "XML 문서(DASH 매니페스트 등)"),
    (b"<MPD", "DASH 매니페스트"),
    (b"<SMIL", "SMIL 문서"),
    (b"[playlist]", "재생목록"),
)


def probe_untrusted(path: Path) -> ffmpeg.ProbeResult:
    """Look at an uploaded file as hostile input. Raises Rejected with a Korean reason."""
    if not path.exists() or path.stat().st_size == 0:
        raise Rejected(_("빈 파일입니다."))
    with path.open("rb") as handle:
        head = handle.read(4096)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, what in _SNIFF_REJECT:
        if stripped.startswith(magic.lower()):
            raise Rejected(
                _("영상 파일이 아니라 %(what)s입니다. 영상 파일을 올려 주세요.")
                % {"what": what}
            )
    if head and all(b in b"\t\n\r" or 32 <= b < 127 or b >= 128 for b in head[:512]):
        try:
            head[:512].decode("utf-8")
            raise Rejected(_("영상 파일이 아니라 글(텍스트) 파일입니다."))
        except UnicodeDecodeError:
            pass
    try:
        data = ffmpeg.ffprobe_json(path)
    except ffmpeg.FfmpegFailed as exc:
        logger.info("ffprobe refused %s: %s", path, exc.stderr[-500:])
        raise Rejected(
            _("영상 파일을 읽을 수 없습니다. 파일이 잘렸거나 손상되었을 수 있습니다.")
        ) from exc
    format_name = (data.get("format") or {}).get("format_name", "")
    if format_name not in settings.VIDEO_ALLOWED_FORMATS:
        raise Rejected(
            _("지원하지 않는 파일 형식입니다. MP4, MOV, MKV, WebM 영상을 올려 주세요.")
        )
    result = ffmpeg.parse_probe(data, path.stat().st_size)
    if result is None:
        raise Rejected(_("영상이 없는 파일입니다(소리만 있거나 비어 있음)."))
    if not (16 <= result.width <= settings.VIDEO_MAX_DIMENSION) or not (
        16 <= result.height <= settings.VIDEO_MAX_DIMENSION
    ):
        raise Rejected(_("화면 크기가 지원 범위를 벗어납니다."))
    if not (0.5 <= result.duration <= settings.VIDEO_MAX_DURATION_SECONDS):
        raise Rejected(_("영상 길이가 지원 범위를 벗어납니다."))
    return result


def windows_plan(duration: float) -> list[tuple[float, float]]:
    """Window edges on segment boundaries: a short first window (first playable early),
    then VIDEO_WINDOW_SECONDS each; a video no longer than one window is one window."""
    step = ffmpeg.SEGMENT_SECONDS
    length = max(step, int(settings.VIDEO_WINDOW_SECONDS) // step * step)
    first = max(step, int(settings.VIDEO_FIRST_WINDOW_SECONDS) // step * step)
    if duration <= length + first:
        return [(0.0, duration)]
    edges = [0.0, float(first)]
    while edges[-1] + length < duration:
        edges.append(edges[-1] + length)
    # A sliver shorter than one segment joins the window before it.
    if duration - edges[-1] < step and len(edges) > 2:
        edges.pop()
    edges.append(duration)
    return list(zip(edges[:-1], edges[1:], strict=True))


def asset_process(*, asset_id, inline: bool = False) -> str:
    """Probe the asset and plan its run: one job per window (every rung) and one for the
    audio. A video of one window is encoded here at once, in one ffmpeg process; longer
    ones are handed to the workers as a group of `encode_window` tasks (or encoded here
    one after another when `inline`, as import_videos does). Safe to call twice: only the
    run holding the asset writes the row."""
    run_id = _claim(asset_id)
    if run_id is None:
        state = (
            VideoAsset.objects.filter(pk=asset_id)
            .values_list("state", flat=True)
            .first()
        )
        planned = VideoWindow.objects.filter(
            asset_id=asset_id, run_id=F("asset__run_id")
        ).exists()
        return (
            Outcome.BUSY if state in states.ACTIVE and not planned else Outcome.NOTHING
        )
    _clean_work(asset_id, keep_run=run_id)
    work = _run_work(asset_id, run_id)
    asset = VideoAsset.objects.get(pk=asset_id)
    try:
        source = _local_source(asset, work)
        probe = probe_untrusted(source)
        jobs = _plan(asset, run_id, probe)
        if jobs is None:
            return Outcome.NOTHING
        if len([j for j in jobs if j.kind == VideoWindow.Kind.VIDEO]) == 1:
            _encode_single(asset, run_id, probe, source, jobs, work)
            join_run(asset_id=asset_id, run_id=run_id)
        elif inline:
            for job in jobs:
                job_run(job_id=job.pk, queue_join=False)
        else:
            # tasks.py imports this module: the tasks are imported when used.
            from celery import group

            # tasks.py imports this module: the tasks are imported when used.
            from media_pipeline.tasks import encode_window

            # The canvas: a group of one task per job; its callback is the join, queued
            # by the job that finishes last (see _run_advance).
            _queued(group(encode_window.si(job.pk) for job in jobs))
    except Rejected as exc:
        _end_run(asset_id, run_id, State.REJECTED, exc.reason)
    except Exception:
        logger.exception("video %s: processing failed", asset_id)
        _end_run(
            asset_id,
            run_id,
            State.FAILED,
            _("영상을 처리하지 못했습니다. 잠시 뒤 다시 처리해 주세요."),
        )
    finally:
        if (
            inline
            or not VideoWindow.objects.filter(
                asset_id=asset_id, run_id=run_id, state__in=states.JOB_OPEN
            ).exists()
        ):
            _clean_work(asset_id)
    return Outcome.DONE


def _end_run(asset_id, run_id, to_state: str, reason: str) -> None:
    asset_set_state(
        asset_id=asset_id,
        from_states=states.ACTIVE,
        to_state=to_state,
        run_id=run_id,
        reason=reason,
        heartbeat_at=None,
        playable_at=None,
    )
    for job in VideoWindow.objects.filter(
        asset_id=asset_id, run_id=run_id, state__in=states.JOB_OPEN
    ):
        job_set_state(
            job_id=job.pk,
            from_states=states.JOB_OPEN,
            to_state=Job.FAILED,
            reason=reason,
        )


def _plan(asset: VideoAsset, run_id, probe: ffmpeg.ProbeResult) -> list | None:
    """Write the probed facts and the run's jobs, and move to transcoding, at once."""
    plan = windows_plan(probe.duration)
    with transaction.atomic():
        VideoAsset.objects.filter(pk=asset.pk, run_id=run_id).update(
            duration=probe.duration,
            size_bytes=probe.size_bytes,
            video_codec=probe.video_codec[:40],
            audio_codec=probe.audio_codec[:40],
            width=probe.width,
            height=probe.height,
            frame_rate=probe.frame_rate,
            rotation=probe.rotation,
        )
        if not asset_set_state(
            asset_id=asset.pk,
            from_states=[State.PROBING],
            to_state=State.TRANSCODING,
            run_id=run_id,
            heartbeat_at=timezone.now(),
            progress=1,
        ):
            return None
        jobs = [
            VideoWindow(
                asset_id=asset.pk,
                run_id=run_id,
                kind=VideoWindow.Kind.VIDEO,
                index=i,
                start=start,
                end=end,
            )
            for i, (start, end) in enumerate(plan)
        ]
        if probe.has_audio:
            # Second in the queue: with two workers the audio and the first window
            # start together, and both are needed for the first playable master.
            jobs.insert(
                1,
                VideoWindow(
                    asset_id=asset.pk,
                    run_id=run_id,
                    kind=VideoWindow.Kind.AUDIO,
                    index=0,
                    start=0.0,
                    end=probe.duration,
                ),
            )
        return VideoWindow.objects.bulk_create(jobs)


# --- Jobs: windows and the audio ------------------------------------------------------


def _job_claim(job_id) -> tuple[VideoWindow | None, str]:
    """Take a job: pending, or running under a lapsed lease (its worker is gone)."""
    attempt = uuid.uuid4()
    now = timezone.now()
    worker = _worker_name()
    fields = dict(
        new_attempt=attempt,
        attempts=F("attempts") + 1,
        worker=worker,
        heartbeat_at=now,
        started_at=now,
        progress=0,
    )
    lapsed = Q(heartbeat_at__lt=_stale_before()) | Q(heartbeat_at__isnull=True)
    retries_left = Q(attempts__lte=settings.VIDEO_MAX_RETRIES)
    claimed = job_set_state(
        job_id=job_id,
        from_states=[Job.PENDING],
        to_state=Job.RUNNING,
        where=retries_left,
        **fields,
    ) or job_set_state(
        job_id=job_id,
        from_states=[Job.RUNNING],
        to_state=Job.RUNNING,
        where=lapsed & retries_left,
        **fields,
    )
    job = VideoWindow.objects.filter(pk=job_id).first()
    if job is None:
        return None, Outcome.NOTHING
    if claimed:
        VideoWindow.objects.filter(pk=job_id, attempt=attempt).update(
            workers=[*job.workers, worker]
        )
        job.workers = [*job.workers, worker]
        return job, Outcome.DONE
    if (
        job.state == Job.RUNNING
        and job.heartbeat_at
        and job.heartbeat_at >= _stale_before()
    ):
        return None, Outcome.BUSY
    if job.state in states.JOB_OPEN:  # out of retries
        reason = _("여러 번 시도했지만 처리하지 못했습니다. 다시 처리해 주세요.")
        job_set_state(
            job_id=job_id,
            from_states=states.JOB_OPEN,
            to_state=Job.FAILED,
            reason=reason,
        )
        _end_run(job.asset_id, job.run_id, State.FAILED, reason)
    return None, Outcome.NOTHING


def _worker_name() -> str:
    import os
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _job_heartbeat(job: VideoWindow, progress: int | None = None) -> None:
    now = timezone.now()
    fields = {"heartbeat_at": now}
    if progress is not None:
        fields["progress"] = progress
    VideoWindow.objects.filter(
        pk=job.pk, attempt=job.attempt, state=Job.RUNNING
    ).update(**fields)
    VideoAsset.objects.filter(pk=job.asset_id, run_id=job.run_id).update(
        heartbeat_at=now
    )


def _progress_reader(span: float, on_percent):
    last = [0.0]

    def on_progress(line: str) -> None:
        if not line.startswith("out_time_us=") or span <= 0:
            return
        now = time.monotonic()
        if now - last[0] < 1:
            return
        last[0] = now
        try:
            done = int(line.split("=", 1)[1]) / 1e6
        except ValueError:
            return
        on_percent(max(0, min(99, int(done / span * 100))))

    return on_progress


def _ffmpeg_limited(args: list[str], *, span: float, on_percent) -> None:
    try:
        ffmpeg.run_limited(
            args,
            timeout=max(600, span * 10),
            on_progress=_progress_reader(span, on_percent),
        )
    except ffmpeg.FfmpegFailed as exc:
        logger.warning("ffmpeg failed: %s", exc.stderr[-2000:])
        raise Rejected(
            _(
                "영상을 변환하지 못했습니다. 파일이 손상되었거나 지원하지 않는 방식으로 인코딩되었습니다."
            )
        ) from exc


def job_run(*, job_id, queue_join: bool = True) -> str:
    """Encode one job of a run and record what it made. A second delivery of a job that
    is done, or held by a live worker, changes nothing; a job whose worker died is taken
    over once its lease has lapsed, and its outputs go to a folder of its own attempt."""
    job, outcome = _job_claim(job_id)
    if job is None:
        return outcome
    asset = VideoAsset.objects.filter(
        pk=job.asset_id, run_id=job.run_id, state=State.TRANSCODING
    ).first()
    if asset is None:  # the run was replaced or ended
        job_set_state(
            job_id=job.pk,
            from_states=[Job.RUNNING],
            to_state=Job.FAILED,
            attempt=job.attempt,
            reason="run ended",
        )
        return Outcome.NOTHING
    work = (
        _run_work(asset.pk, job.run_id)
        / f"{job.kind}-{job.index}-{job.attempt.hex[:8]}"
    )
    work.mkdir(parents=True, exist_ok=True)
    try:
        source = _local_source(asset, work.parent)
        probe = _probe_of(asset)
        if job.kind == VideoWindow.Kind.AUDIO:
            outputs = _encode_audio(asset, job, source, work)
        else:
            outputs = _encode_window(asset, job, probe, source, work)
        if not job_set_state(
            job_id=job.pk,
            from_states=[Job.RUNNING],
            to_state=Job.DONE,
            attempt=job.attempt,
            outputs=outputs,
            progress=100,
            finished_at=timezone.now(),
        ):
            storage_delete_tree(f"{_prefix(asset.pk, job.run_id)}/{outputs['folder']}")
            return Outcome.NOTHING
    except Rejected as exc:
        job_set_state(
            job_id=job.pk,
            from_states=[Job.RUNNING],
            to_state=Job.FAILED,
            attempt=job.attempt,
            reason=exc.reason,
        )
        _end_run(asset.pk, job.run_id, State.REJECTED, exc.reason)
        return Outcome.DONE
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _run_advance(asset.pk, job.run_id, queue_join=queue_join)
    if not VideoWindow.objects.filter(
        asset_id=asset.pk, run_id=job.run_id, state__in=states.JOB_OPEN
    ).exists():
        _clean_work(asset.pk)  # this machine's copy of the source goes too
    return Outcome.DONE


def _probe_of(asset: VideoAsset) -> ffmpeg.ProbeResult:
    return ffmpeg.ProbeResult(
        format_name="",
        duration=asset.duration or 0,
        size_bytes=asset.size_bytes or 0,
        video_codec=asset.video_codec,
        audio_codec=asset.audio_codec,
        width=asset.width or 0,
        height=asset.height or 0,
        frame_rate=asset.frame_rate or 30,
        rotation=asset.rotation,
        pix_fmt="",
    )


def _prefix(asset_id, run_id) -> str:
    return f"{OUTPUT_PREFIX}/{asset_id}/{run_id.hex}"


def _upload_folder(local: Path, key_prefix: str, heartbeat=None) -> None:
    for file in sorted(local.rglob("*")):
        if file.is_file():
            name = f"{key_prefix}/{file.relative_to(local).as_posix()}"
            if default_storage.exists(name):
                default_storage.delete(name)
            with file.open("rb") as handle:
                default_storage.save(name, _Movable(handle))
            if heartbeat:
                heartbeat()


def _window_outputs(out: Path, job: VideoWindow, rungs, folder: str) -> dict:
    """Move the window's fragments to its place in the whole video, and index them."""
    described = {}
    for name in [*(r.name for r in rungs), "iframe"]:
        path = out / f"{name}.mp4"
        per_second = 1 if name == "iframe" else 1 / ffmpeg.KEYFRAME_SECONDS
        mp4.shift_fragments(
            path,
            seconds=job.start,
            first_sequence=round(job.start * per_second) + 1,
        )
        parsed = mp4.read_fragmented(path)
        if not parsed.fragments:
            raise Rejected(_("영상을 변환하지 못했습니다. 구간에 화면이 없습니다."))
        described[name] = {
            "init_length": parsed.init_length,
            "init_sha256": parsed.init_sha256,
            "timescale": parsed.timescale,
            "codec": parsed.codec,
            "fragments": [f.as_list(parsed.timescale) for f in parsed.fragments],
        }
    return {"folder": folder, "start": job.start, "end": job.end, "rungs": described}


def _encode_window(asset, job, probe, source: Path, work: Path) -> dict:
    rungs = ffmpeg.ladder_for(probe.width, probe.height)
    out = work / "out"
    out.mkdir()
    poster = None
    if job.index == 0:
        poster = (
            str(out / "poster.jpg"),
            min(1.0, (job.end - job.start) / 3),
            min(720, rungs[0].height),
        )
    command = ffmpeg.window_command(
        ffmpeg.WindowJob(
            source=str(source),
            out_dir=str(out),
            rungs=rungs,
            frame_rate=probe.frame_rate,
            preset=settings.VIDEO_X264_PRESET,
            start=job.start,
            end=None if job.end >= probe.duration else job.end,
            poster=poster,
        )
    )
    _ffmpeg_limited(
        command,
        span=job.end - job.start,
        on_percent=lambda p: _job_heartbeat(job, p),
    )
    folder = f"w{job.index:04d}.{job.attempt.hex[:8]}"
    outputs = _window_outputs(out, job, rungs, folder)
    outputs["poster"] = bool(poster)
    _upload_folder(
        out, f"{_prefix(asset.pk, job.run_id)}/{folder}", lambda: _job_heartbeat(job)
    )
    return outputs


def _audio_outputs(audio_dir: Path, folder: str) -> dict:
    stats = ffmpeg.media_playlist_stats(audio_dir)
    return {
        "folder": folder,
        "init": stats.init_file,
        "init_size": stats.init_size,
        "segments": [
            [name, duration, size]
            for name, duration, size in zip(
                stats.segment_files,
                stats.segment_durations,
                stats.segment_sizes,
                strict=True,
            )
        ],
    }


def _encode_audio(asset, job, source: Path, work: Path) -> dict:
    audio_dir = work / "audio"
    audio_dir.mkdir()
    _ffmpeg_limited(
        ffmpeg.audio_command(source=str(source), audio_dir=str(audio_dir)),
        span=job.end - job.start,
        on_percent=lambda p: _job_heartbeat(job, p),
    )
    folder = f"audio.{job.attempt.hex[:8]}"
    outputs = _audio_outputs(audio_dir, folder)
    (audio_dir / "index.m3u8").unlink()
    _upload_folder(
        audio_dir,
        f"{_prefix(asset.pk, job.run_id)}/{folder}",
        lambda: _job_heartbeat(job),
    )
    return outputs


def _encode_single(asset, run_id, probe, source: Path, jobs, work: Path) -> None:
    """A video of one window: its window and its audio in one ffmpeg process (one
    decode), recorded as the run's two jobs."""
    claimed = []
    for job in jobs:
        got, _outcome = _job_claim(job.pk)
        if got is None:
            return
        claimed.append(got)
    video = next(j for j in claimed if j.kind == VideoWindow.Kind.VIDEO)
    audio_job = next((j for j in claimed if j.kind == VideoWindow.Kind.AUDIO), None)
    rungs = ffmpeg.ladder_for(probe.width, probe.height)
    out = work / "single" / "out"
    out.mkdir(parents=True)
    audio_dir = work / "single" / "audio" if audio_job else None
    if audio_dir:
        audio_dir.mkdir()
    command = ffmpeg.window_command(
        ffmpeg.WindowJob(
            source=str(source),
            out_dir=str(out),
            rungs=rungs,
            frame_rate=probe.frame_rate,
            preset=settings.VIDEO_X264_PRESET,
            poster=(
                str(out / "poster.jpg"),
                min(1.0, probe.duration / 3),
                min(720, rungs[0].height),
            ),
            audio_dir=str(audio_dir) if audio_dir else None,
        )
    )

    def on_percent(p: int) -> None:
        for job in claimed:
            _job_heartbeat(job, p)
        _heartbeat(asset.pk, run_id, max(1, min(95, int(p * 0.95))))

    _ffmpeg_limited(command, span=probe.duration, on_percent=on_percent)
    prefix = _prefix(asset.pk, run_id)
    folder = f"w0000.{video.attempt.hex[:8]}"
    outputs = _window_outputs(out, video, rungs, folder)
    outputs["poster"] = True
    _upload_folder(out, f"{prefix}/{folder}", lambda: _heartbeat(asset.pk, run_id))
    done = [(video, outputs)]
    if audio_job:
        audio_folder = f"audio.{audio_job.attempt.hex[:8]}"
        audio_out = _audio_outputs(audio_dir, audio_folder)
        (audio_dir / "index.m3u8").unlink()
        _upload_folder(
            audio_dir, f"{prefix}/{audio_folder}", lambda: _heartbeat(asset.pk, run_id)
        )
        done.append((audio_job, audio_out))
    for job, result in done:
        job_set_state(
            job_id=job.pk,
            from_states=[Job.RUNNING],
            to_state=Job.DONE,
            attempt=job.attempt,
            outputs=result,
            progress=100,
            finished_at=timezone.now(),
        )
    _run_advance(asset.pk, run_id, queue_join=False)


def _run_advance(asset_id, run_id, *, queue_join: bool = True) -> None:
    """After a job finished: progress, the first playable moment (the first window and
    the audio), a new playlist version, and the join once every job is done."""
    # tasks.py imports this module: the tasks are imported when used.
    from media_pipeline.tasks import join_windows

    with transaction.atomic():
        asset = (
            VideoAsset.objects.select_for_update()
            .filter(pk=asset_id, run_id=run_id, state=State.TRANSCODING)
            .first()
        )
        if asset is None:
            return
        jobs = list(VideoWindow.objects.filter(asset_id=asset_id, run_id=run_id))
        done = [j for j in jobs if j.state == Job.DONE]
        video = sorted(
            (j for j in jobs if j.kind == VideoWindow.Kind.VIDEO), key=lambda j: j.index
        )
        audio_done = all(
            j.state == Job.DONE for j in jobs if j.kind == VideoWindow.Kind.AUDIO
        )
        total = sum(j.end - j.start for j in jobs) or 1
        fields = {
            "progress": max(
                1, min(95, int(sum(j.end - j.start for j in done) / total * 95))
            ),
            "playback_version": F("playback_version") + 1,
            "heartbeat_at": timezone.now(),
        }
        if (
            audio_done
            and video
            and video[0].state == Job.DONE
            and asset.playable_at is None
        ):
            fields["playable_at"] = timezone.now()
        VideoAsset.objects.filter(pk=asset_id, run_id=run_id).update(**fields)
        if len(done) == len(jobs) and asset_set_state(
            asset_id=asset_id,
            from_states=[State.TRANSCODING],
            to_state=State.PUBLISHING,
            run_id=run_id,
            progress=96,
        ):
            if queue_join:  # else the caller joins in the same task
                _queued(join_windows, str(asset_id), run_id.hex)


def join_run(*, asset_id, run_id) -> str:
    """The join: check that every rung has one init segment for all windows, measure the
    renditions, write the playlists beside the outputs and turn the asset ready."""
    run_id = uuid.UUID(str(run_id))
    asset = VideoAsset.objects.filter(
        pk=asset_id, run_id=run_id, state=State.PUBLISHING
    ).first()
    if asset is None:
        return Outcome.NOTHING
    jobs = list(VideoWindow.objects.filter(asset_id=asset_id, run_id=run_id))
    if not jobs or any(j.state != Job.DONE for j in jobs):
        return Outcome.NOTHING
    _heartbeat(asset_id, run_id)
    windows, audio = run_outputs(asset_id, run_id)
    prefix = _prefix(asset_id, run_id)
    try:
        _check_inits(windows, prefix)
    except mp4.Mp4Error:
        logger.exception("video %s: windows do not share an init segment", asset_id)
        _end_run(
            asset_id,
            run_id,
            State.FAILED,
            _("영상을 처리하지 못했습니다. 다시 처리해 주세요."),
        )
        return Outcome.DONE
    probe = _probe_of(asset)
    rungs = [
        {"name": r.name, "width": r.width, "height": r.height}
        for r in ffmpeg.ladder_for(probe.width, probe.height)
    ]
    fps = ffmpeg.output_fps(probe.frame_rate)
    renditions = hls.renditions(windows, rungs, fps, audio)
    smallest = min(rungs, key=lambda r: r["width"] * r["height"])
    iframe = hls.iframe_rendition(windows, smallest["width"], smallest["height"])
    audio_rendition = hls.audio_figures(audio) if audio else {}
    captions = list(asset.captions.all())
    relative = lambda name: name  # noqa: E731 - stored playlists name files relatively
    files = {
        "master.m3u8": hls.master_playlist(
            renditions, captions, audio=audio_rendition or None, iframe=iframe
        ),
        "iframe.m3u8": hls.iframe_playlist(
            windows, "iframe", relative, ended=True, whole=True
        ),
    }
    for r in rungs:
        files[f"{r['name']}.m3u8"] = hls.media_playlist(
            windows, r["name"], relative, ended=True
        )
        files[f"{r['name']}_iframes.m3u8"] = hls.iframe_playlist(
            windows, r["name"], relative, ended=True, whole=False
        )
    if audio:
        files["audio.m3u8"] = hls.audio_playlist(audio, relative)
    for name, text in files.items():
        _storage_write(f"{prefix}/{name}", text.encode("utf-8"))
    _publish_captions(prefix, captions, asset.duration or 0)
    previous = asset.output_prefix
    if asset_set_state(
        asset_id=asset_id,
        from_states=[State.PUBLISHING],
        to_state=State.READY,
        run_id=run_id,
        output_prefix=prefix,
        master_playlist=f"{prefix}/master.m3u8",
        poster=f"{prefix}/{windows[0]['folder']}/poster.jpg",
        renditions=renditions,
        audio_rendition=audio_rendition,
        iframe_rendition=iframe,
        progress=100,
        reason="",
        heartbeat_at=None,
        ready_at=timezone.now(),
        playable_at=Coalesce(F("playable_at"), Now()),
        playback_version=F("playback_version") + 1,
    ):
        # Only now do older outputs (a previous processing, a killed run, the folder of
        # a window attempt that lost its lease) go away.
        _delete_other_outputs(
            asset_id, keep=prefix, keep_folders=_folders(windows, audio)
        )
        VideoWindow.objects.filter(asset_id=asset_id).exclude(run_id=run_id).delete()
        _clean_work(asset_id)
    elif previous != prefix:
        storage_delete_tree(prefix)
    return Outcome.DONE


def _folders(windows: list[dict], audio: dict | None) -> set[str]:
    return {w["folder"] for w in windows} | ({audio["folder"]} if audio else set())


def _check_inits(windows: list[dict], prefix: str) -> None:
    """One init segment per rung: identical bytes in every window (what ffmpeg writes
    for the same settings), or else the same codec configuration and timescale."""
    if not windows:
        raise mp4.Mp4Error("no windows")
    for rung in windows[0]["rungs"]:
        hashes = {w["rungs"][rung]["init_sha256"] for w in windows}
        if len(hashes) == 1:
            continue
        signatures = set()
        for w in windows:
            length = w["rungs"][rung]["init_length"]
            with default_storage.open(
                f"{prefix}/{w['folder']}/{rung}.mp4", "rb"
            ) as handle:
                signatures.add(mp4.init_signature(handle.read(length)))
        if len(signatures) != 1:
            raise mp4.Mp4Error(f"{rung}: init segments differ")


def _storage_write(name: str, data: bytes) -> None:
    from django.core.files.base import ContentFile

    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


class _Movable(File):
    """A work file the local storage may move instead of copying (remote ones upload it)."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _delete_other_outputs(asset_id, *, keep: str, keep_folders: set[str]) -> None:
    base = f"{OUTPUT_PREFIX}/{asset_id}"
    try:
        dirs, _files = default_storage.listdir(base)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in dirs:
        if f"{base}/{name}" != keep and name != "captions":
            storage_delete_tree(f"{base}/{name}")
    try:
        inner, _files = default_storage.listdir(keep)
    except FileNotFoundError:
        return
    for name in inner:
        if name not in keep_folders and name != "subs":
            storage_delete_tree(f"{keep}/{name}")


def storage_delete_tree(prefix: str) -> None:
    try:
        dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for name in dirs:
        storage_delete_tree(f"{prefix}/{name}")
    try:
        local = default_storage.path(prefix)
    except NotImplementedError:
        return
    shutil.rmtree(local, ignore_errors=True)


# --- Captions ---------------------------------------------------------------------------------


def captions_to_webvtt(raw: bytes) -> str:
    """SRT or WebVTT in, WebVTT out. Raises InvalidUpload when it is neither."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidUpload(_("자막 파일의 글자 인코딩을 알 수 없습니다."))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    import re

    if text.startswith("WEBVTT"):
        body = text
    else:
        body = "WEBVTT\n\n" + re.sub(r"(\d{1,2}:\d{2}:\d{2}),(\d{3})", r"\1.\2", text)
    if not re.search(r"\d{2}:\d{2}(:\d{2})?\.\d{3}\s+-->\s+", body):
        raise InvalidUpload(_("SRT 또는 WebVTT 자막 파일이 아닙니다."))
    body = re.sub(r"<\s*/?\s*(script|style)[^>]*>", "", body, flags=re.I)
    return body + "\n"


def _caption_key(asset: VideoAsset, language: str) -> str:
    return f"{OUTPUT_PREFIX}/{asset.pk}/captions/{language}-{uuid.uuid4().hex}.vtt"


def _publish_captions(
    prefix: str, captions: list[VideoCaption], duration: float
) -> None:
    """Each caption as an HLS WebVTT rendition: `subs/<lang>.vtt` with X-TIMESTAMP-MAP
    and its one-segment playlist (the stored copy; the served one presigns the file)."""
    for caption in captions:
        with default_storage.open(caption.vtt_path, "rb") as handle:
            vtt = handle.read().decode("utf-8")
        _storage_write(
            f"{prefix}/subs/{caption.language}.vtt",
            hls.webvtt_with_timestamp_map(vtt).encode("utf-8"),
        )
        _storage_write(
            f"{prefix}/subs/{caption.language}.m3u8",
            hls.subtitle_playlist(f"{caption.language}.vtt", duration).encode("utf-8"),
        )


def caption_add(
    *,
    asset: VideoAsset,
    language: str = "ko",
    label: str = "한국어",
    file,
    sdh: bool = False,
) -> VideoCaption:
    """Store an SRT/WebVTT caption as WebVTT; a ready asset's master playlist lists it."""
    language = (language or "ko").strip()[:10]
    if not language.replace("-", "").isalnum():
        raise InvalidUpload(_("언어 코드가 올바르지 않습니다."))
    if getattr(file, "size", 0) and file.size > 2 * 1024**2:
        raise InvalidUpload(_("자막 파일이 너무 큽니다(최대 2 MB)."))
    try:
        check_upload(file, purpose="caption")
    except UploadRefused as refused:
        raise InvalidUpload(" ".join(refused.messages)) from refused
    file.seek(0)
    vtt = hls.webvtt_with_timestamp_map(captions_to_webvtt(file.read(2 * 1024**2 + 1)))
    from django.core.files.base import ContentFile

    key = default_storage.save(
        _caption_key(asset, language), ContentFile(vtt.encode("utf-8"))
    )
    with transaction.atomic():
        caption, _created = VideoCaption.objects.update_or_create(
            asset=asset,
            language=language,
            defaults={"label": label, "vtt_path": key, "sdh": sdh},
        )
        asset = VideoAsset.objects.select_for_update().get(pk=asset.pk)
        if asset.state == State.READY and asset.output_prefix:
            _republish_captions(asset)
        else:  # a playable asset still encoding lists it from the next master on
            VideoAsset.objects.filter(pk=asset.pk).update(
                playback_version=F("playback_version") + 1
            )
    return caption


def _republish_captions(asset: VideoAsset) -> None:
    captions = list(asset.captions.all())
    _publish_captions(asset.output_prefix, captions, asset.duration or 0)
    _storage_write(
        f"{asset.output_prefix}/master.m3u8",
        hls.master_playlist(
            asset.renditions,
            captions,
            audio=asset.audio_rendition or None,
            iframe=asset.iframe_rendition or None,
        ).encode("utf-8"),
    )
    VideoAsset.objects.filter(pk=asset.pk).update(
        playback_version=F("playback_version") + 1
    )


# --- The sweeper ------------------------------------------------------------------------------


def assets_sweep_stuck() -> dict:
    """Re-queue what was left behind: an upload never picked up, a run whose lease lapsed
    before it planned its windows (a lost worker), every window or audio job whose lease
    lapsed or that waits with no live worker on its run, and the join of a run whose jobs
    are all done. Those out of retries turn failed when their task claims them."""
    # tasks.py imports this module: the tasks are imported when used.
    from media_pipeline.tasks import encode_window, join_windows, process_asset

    stale = _stale_before()
    requeued, jobs_requeued, joins = [], [], []
    for asset_id in VideoAsset.objects.filter(
        state=State.UPLOADED, state_changed_at__lt=stale
    ).values_list("pk", flat=True):
        _queued(process_asset, str(asset_id))
        requeued.append(str(asset_id))
    planned = VideoWindow.objects.filter(
        asset=OuterRef("pk"), run_id=OuterRef("run_id")
    )
    for asset_id in (
        VideoAsset.objects.filter(state__in=states.ACTIVE, heartbeat_at__lt=stale)
        .exclude(Exists(planned))
        .values_list("pk", flat=True)
    ):
        _queued(process_asset, str(asset_id))
        requeued.append(str(asset_id))
    # Jobs of planned runs: a running one whose lease lapsed, and a pending one when
    # nobody works on its run any more (its message may have died with a worker).
    open_jobs = VideoWindow.objects.filter(
        asset__state=State.TRANSCODING, asset__run_id=F("run_id")
    ).filter(
        Q(state=Job.RUNNING, heartbeat_at__lt=stale)
        | Q(state=Job.PENDING, asset__heartbeat_at__lt=stale)
    )
    for job_id in open_jobs.values_list("pk", flat=True):
        _queued(encode_window, job_id)
        jobs_requeued.append(job_id)
    for asset_id, run_id in (
        VideoAsset.objects.filter(state=State.PUBLISHING, heartbeat_at__lt=stale)
        .filter(Exists(planned))
        .values_list("pk", "run_id")
    ):
        _queued(join_windows, str(asset_id), run_id.hex)
        joins.append(str(asset_id))
    abandoned = 0
    for asset_id in VideoAsset.objects.filter(
        state__in=states.UPLOAD_OPEN, created_at__lt=timezone.now() - timedelta(days=2)
    ).values_list("pk", flat=True):
        abandoned += asset_set_state(
            asset_id=asset_id,
            from_states=states.UPLOAD_OPEN,
            to_state=State.FAILED,
            reason=_("업로드가 끝나지 않아 취소되었습니다."),
        )
    return {
        "requeued": requeued,
        "jobs_requeued": jobs_requeued,
        "joins": joins,
        "abandoned_uploads": abandoned,
    }
