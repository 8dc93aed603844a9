"""What happens to a video asset: creation, upload, processing, captions, deletion.

Every state change goes through `asset_set_state`, a compare-and-set on the row.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from config.problems import Conflict, Problem
from media_pipeline import ffmpeg
from media_pipeline.models import VideoAsset, VideoCaption

logger = logging.getLogger(__name__)
State = VideoAsset.State
ACTIVE_STATES = (State.PROBING, State.TRANSCODING, State.PUBLISHING)
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


def asset_set_state(
    *,
    asset_id,
    from_states,
    to_state: str,
    run_id: uuid.UUID | None = None,
    **fields,
) -> bool:
    """Move the asset to `to_state` only if it is in one of `from_states` (and held by
    `run_id` when given). Returns whether this call made the change."""
    rows = VideoAsset.objects.filter(pk=asset_id, state__in=list(from_states))
    if run_id is not None:
        rows = rows.filter(run_id=run_id)
    changed = rows.update(state=to_state, state_changed_at=timezone.now(), **fields)
    if changed:
        logger.info("video %s -> %s", asset_id, to_state)
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


def _enqueue_processing(asset_id) -> None:
    from media_pipeline.tasks import process_asset

    enqueue_on_commit(process_asset, str(asset_id))


def asset_import_file(*, path, title: str, uploaded_by=None) -> VideoAsset:
    """Run the whole pipeline on a local file, synchronously; returns the asset in its
    final state (ready, rejected or failed). Used by import_videos and seed_demo."""
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
    asset_process(asset_id=asset.pk)
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


# --- Processing -------------------------------------------------------------------------------


class Outcome:
    DONE = "done"
    BUSY = "busy"  # another live run holds the asset; try again after its lease
    NOTHING = "nothing"


def _claim(asset_id) -> uuid.UUID | None:
    """Take the asset for a new run: fresh from upload, or from a run whose lease lapsed."""
    run_id = uuid.uuid4()
    now = timezone.now()
    stale = now - timedelta(seconds=settings.VIDEO_LEASE_SECONDS)
    fresh = VideoAsset.objects.filter(pk=asset_id, state=State.UPLOADED).update(
        state=State.PROBING,
        run_id=run_id,
        heartbeat_at=now,
        state_changed_at=now,
        progress=0,
    )
    if fresh:
        return run_id
    taken = (
        VideoAsset.objects.filter(pk=asset_id, state__in=ACTIVE_STATES)
        .filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True))
        .filter(retries__lt=settings.VIDEO_MAX_RETRIES)
        .update(
            state=State.PROBING,
            run_id=run_id,
            heartbeat_at=now,
            state_changed_at=now,
            progress=0,
            retries=F("retries") + 1,
        )
    )
    if taken:
        logger.warning("video %s: took over a stale run", asset_id)
        return run_id
    out_of_retries = VideoAsset.objects.filter(
        pk=asset_id,
        state__in=ACTIVE_STATES,
        heartbeat_at__lt=stale,
        retries__gte=settings.VIDEO_MAX_RETRIES,
    ).exists()
    if out_of_retries:
        asset_set_state(
            asset_id=asset_id,
            from_states=ACTIVE_STATES,
            to_state=State.FAILED,
            reason=_("여러 번 시도했지만 처리하지 못했습니다. 다시 처리해 주세요."),
            heartbeat_at=None,
        )
    return None


def asset_process(*, asset_id) -> str:
    """Probe, transcode and publish one asset. Safe to call twice for the same asset:
    only the run holding the asset writes the row, and each run writes its outputs under
    its own key prefix, made live by the compare-and-set to ready."""
    run_id = _claim(asset_id)
    if run_id is None:
        state = (
            VideoAsset.objects.filter(pk=asset_id)
            .values_list("state", flat=True)
            .first()
        )
        return Outcome.BUSY if state in ACTIVE_STATES else Outcome.NOTHING
    asset = VideoAsset.objects.get(pk=asset_id)
    # Leftovers of a killed run go; each run works in its own folder, so a straggling
    # process of an earlier run can never write into this run's outputs.
    asset_work = Path(settings.VIDEO_WORK_DIR) / str(asset_id)
    shutil.rmtree(asset_work, ignore_errors=True)
    work = asset_work / run_id.hex
    work.mkdir(parents=True, exist_ok=True)
    try:
        _run(asset, run_id, work)
    except Rejected as exc:
        asset_set_state(
            asset_id=asset_id,
            from_states=ACTIVE_STATES,
            to_state=State.REJECTED,
            run_id=run_id,
            reason=exc.reason,
            heartbeat_at=None,
        )
    except Exception:
        logger.exception("video %s: processing failed", asset_id)
        asset_set_state(
            asset_id=asset_id,
            from_states=ACTIVE_STATES,
            to_state=State.FAILED,
            run_id=run_id,
            reason=_("영상을 처리하지 못했습니다. 잠시 뒤 다시 처리해 주세요."),
            heartbeat_at=None,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if asset_work.exists() and not any(asset_work.iterdir()):
            asset_work.rmdir()
    return Outcome.DONE


def _local_source(asset: VideoAsset, work: Path) -> Path:
    """A local path of the source; downloaded in chunks when the storage is remote."""
    try:
        return Path(default_storage.path(asset.source_path))
    except NotImplementedError:
        target = work / ("source" + Path(asset.source_path).suffix)
        with (
            default_storage.open(asset.source_path, "rb") as src,
            target.open("wb") as dst,
        ):
            shutil.copyfileobj(src, dst, 1024 * 1024)
        return target


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


def _heartbeat(asset_id, run_id, progress: int | None = None) -> None:
    fields = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = progress
    VideoAsset.objects.filter(pk=asset_id, run_id=run_id).update(**fields)


def _run(asset: VideoAsset, run_id: uuid.UUID, work: Path) -> None:
    source = _local_source(asset, work)
    probe = probe_untrusted(source)
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
    ):
        return
    out = work / "hls"
    out.mkdir()
    rungs = ffmpeg.ladder_for(probe.width, probe.height)
    for rung in rungs:
        (out / rung.name).mkdir()
    args = ffmpeg.ladder_command(
        source=str(source),
        out_dir=str(out),
        rungs=rungs,
        frame_rate=probe.frame_rate,
        has_audio=probe.has_audio,
        preset=settings.VIDEO_X264_PRESET,
        poster=(
            str(out / "poster.jpg"),
            min(1.0, probe.duration / 3),
            min(720, rungs[0].height),
        ),
    )
    args[1:1] = ["-progress", "pipe:1", "-nostats"]
    last = [0.0]

    def on_progress(line: str) -> None:
        if line.startswith("out_time_us=") and probe.duration:
            now = timezone.now().timestamp()
            if now - last[0] >= 1:
                last[0] = now
                try:
                    done = int(line.split("=", 1)[1]) / 1e6
                except ValueError:
                    return
                _heartbeat(asset.pk, run_id, min(95, int(done / probe.duration * 95)))

    try:
        ffmpeg.run_limited(
            args,
            timeout=max(600, probe.duration * 10),
            on_progress=on_progress,
        )
    except ffmpeg.FfmpegFailed as exc:
        logger.warning("video %s: ffmpeg failed: %s", asset.pk, exc.stderr[-2000:])
        raise Rejected(
            _(
                "영상을 변환하지 못했습니다. 파일이 손상되었거나 지원하지 않는 방식으로 인코딩되었습니다."
            )
        ) from exc
    renditions = []
    for rung in rungs:
        stats = ffmpeg.media_playlist_stats(out / rung.name)
        codecs = ffmpeg.h264_codec_tag(out / rung.name / stats.init_file)
        if probe.has_audio:
            codecs += ",mp4a.40.2"
        renditions.append(
            {
                "name": rung.name,
                "width": rung.width,
                "height": rung.height,
                "bandwidth": stats.peak_bps,
                "average_bandwidth": stats.average_bps,
                "codecs": codecs,
                "frame_rate": min(max(round(probe.frame_rate or 30), 1), 60),
                "playlist": f"{rung.name}/index.m3u8",
            }
        )
    if not asset_set_state(
        asset_id=asset.pk,
        from_states=[State.TRANSCODING],
        to_state=State.PUBLISHING,
        run_id=run_id,
        heartbeat_at=timezone.now(),
        progress=96,
    ):
        return
    prefix = f"{OUTPUT_PREFIX}/{asset.pk}/{run_id.hex}"
    storage_delete_tree(prefix)
    captions = list(asset.captions.all())
    for caption in captions:
        _copy_caption_into(out, caption, probe.duration)
    (out / "master.m3u8").write_text(
        master_playlist_text(renditions, captions), encoding="utf-8"
    )
    for file in sorted(out.rglob("*")):
        if file.is_file():
            with file.open("rb") as handle:
                default_storage.save(
                    f"{prefix}/{file.relative_to(out).as_posix()}", _Movable(handle)
                )
            _heartbeat(asset.pk, run_id)
    previous = asset.output_prefix
    if asset_set_state(
        asset_id=asset.pk,
        from_states=[State.PUBLISHING],
        to_state=State.READY,
        run_id=run_id,
        output_prefix=prefix,
        master_playlist=f"{prefix}/master.m3u8",
        poster=f"{prefix}/poster.jpg",
        renditions=renditions,
        progress=100,
        reason="",
        heartbeat_at=None,
    ):
        # Only now do older outputs (a previous processing, a killed run) go away.
        _delete_other_outputs(asset.pk, keep=prefix)
    elif previous != prefix:
        storage_delete_tree(prefix)


class _Movable(File):
    """A work file the local storage may move instead of copying (remote ones upload it)."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _delete_other_outputs(asset_id, *, keep: str) -> None:
    base = f"{OUTPUT_PREFIX}/{asset_id}"
    try:
        dirs, _files = default_storage.listdir(base)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in dirs:
        if f"{base}/{name}" != keep:
            storage_delete_tree(f"{base}/{name}")


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


def master_playlist_text(renditions: list[dict], captions: list[VideoCaption]) -> str:
    """The HLS master playlist, written by us from measured figures (RFC 8216 4.3.4.2)."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    subtitles = ""
    for caption in captions:
        lines.append(
            '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",'
            f'NAME="{_quoted(caption.label)}",LANGUAGE="{_quoted(caption.language)}",'
            f"DEFAULT={'YES' if caption is captions[0] else 'NO'},AUTOSELECT=YES,"
            f'URI="subs/{_quoted(caption.language)}.m3u8"'
        )
        subtitles = ',SUBTITLES="subs"'
    for r in renditions:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={r['bandwidth']},"
            f"AVERAGE-BANDWIDTH={r['average_bandwidth']},"
            f"RESOLUTION={r['width']}x{r['height']},"
            f'CODECS="{r["codecs"]}",FRAME-RATE={r["frame_rate"]:.3f}{subtitles}'
        )
        lines.append(r["playlist"])
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


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


def _copy_caption_into(out: Path, caption: VideoCaption, duration: float) -> None:
    subs = out / "subs"
    subs.mkdir(exist_ok=True)
    with default_storage.open(caption.vtt_path, "rb") as handle:
        (subs / f"{caption.language}.vtt").write_bytes(handle.read())
    (subs / f"{caption.language}.m3u8").write_text(
        _subtitle_playlist(caption.language, duration), encoding="utf-8"
    )


def _subtitle_playlist(language: str, duration: float) -> str:
    seconds = max(1, int(duration + 0.999))
    return (
        "#EXTM3U\n#EXT-X-VERSION:7\n"
        f"#EXT-X-TARGETDURATION:{seconds}\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration:.3f},\n{language}.vtt\n#EXT-X-ENDLIST\n"
    )


def caption_add(
    *, asset: VideoAsset, language: str = "ko", label: str = "한국어", file
) -> VideoCaption:
    """Store an SRT/WebVTT caption as WebVTT; a ready asset's master playlist lists it."""
    language = (language or "ko").strip()[:10]
    if not language.replace("-", "").isalnum():
        raise InvalidUpload(_("언어 코드가 올바르지 않습니다."))
    if getattr(file, "size", 0) and file.size > 2 * 1024**2:
        raise InvalidUpload(_("자막 파일이 너무 큽니다(최대 2 MB)."))
    file.seek(0)
    vtt = captions_to_webvtt(file.read(2 * 1024**2 + 1))
    from django.core.files.base import ContentFile

    key = default_storage.save(
        _caption_key(asset, language), ContentFile(vtt.encode("utf-8"))
    )
    with transaction.atomic():
        caption, _created = VideoCaption.objects.update_or_create(
            asset=asset, language=language, defaults={"label": label, "vtt_path": key}
        )
        asset = VideoAsset.objects.select_for_update().get(pk=asset.pk)
        if asset.state == State.READY and asset.output_prefix:
            _republish_captions(asset)
    return caption


def _republish_captions(asset: VideoAsset) -> None:
    captions = list(asset.captions.all())
    prefix = asset.output_prefix
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for caption in captions:
            _copy_caption_into(out, caption, asset.duration or 0)
        for file in (out / "subs").glob("*"):
            key = f"{prefix}/subs/{file.name}"
            default_storage.delete(key)
            with file.open("rb") as handle:
                default_storage.save(key, File(handle))
    key = f"{prefix}/master.m3u8"
    default_storage.delete(key)
    from django.core.files.base import ContentFile

    default_storage.save(
        key,
        ContentFile(master_playlist_text(asset.renditions, captions).encode("utf-8")),
    )


# --- The sweeper ------------------------------------------------------------------------------


def assets_sweep_stuck() -> dict:
    """Re-queue assets left behind: uploaded but never picked up, or held by a run whose
    lease lapsed (a lost worker). Those out of retries turn failed in `_claim`."""
    now = timezone.now()
    lease = timedelta(seconds=settings.VIDEO_LEASE_SECONDS)
    requeued = []
    waiting = VideoAsset.objects.filter(
        state=State.UPLOADED, state_changed_at__lt=now - lease
    ).values_list("pk", flat=True)
    stale = VideoAsset.objects.filter(
        state__in=ACTIVE_STATES, heartbeat_at__lt=now - lease
    ).values_list("pk", flat=True)
    abandoned_uploads = VideoAsset.objects.filter(
        state__in=[State.CREATED, State.UPLOADING],
        created_at__lt=now - timedelta(days=2),
    )
    for asset_id in [*waiting, *stale]:
        _enqueue_processing(asset_id)
        requeued.append(str(asset_id))
    failed = abandoned_uploads.update(
        state=State.FAILED,
        state_changed_at=now,
        reason=_("업로드가 끝나지 않아 취소되었습니다."),
    )
    return {"requeued": requeued, "abandoned_uploads": failed}
