"""How the ffmpeg program is found and called. Every ffmpeg process starts from here."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings


class FfmpegMissing(RuntimeError):
    pass


@cache
def ffmpeg_binary() -> str:
    """The configured ffmpeg, else the system one on PATH, else the one imageio-ffmpeg ships."""
    configured = getattr(settings, "FFMPEG_BINARY", "")
    if configured:
        return configured
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (
        ImportError,
        RuntimeError,
    ) as exc:  # pragma: no cover - depends on the wheel
        raise FfmpegMissing("ffmpeg를 찾을 수 없습니다.") from exc


@dataclass(frozen=True)
class FfmpegInfo:
    path: str
    version: str


def ffmpeg_info(timeout: float = 10) -> FfmpegInfo:
    path = ffmpeg_binary()
    completed = subprocess.run(
        [path, "-hide_banner", "-version"],
        capture_output=True,
        timeout=timeout,
        check=True,
        text=True,
    )
    first_line = completed.stdout.splitlines()[0] if completed.stdout else ""
    # "ffmpeg version 5.1.6-0+deb12u1 Copyright ..." -> "5.1.6-0+deb12u1"
    parts = first_line.split()
    version = parts[2] if len(parts) > 2 and parts[1] == "version" else first_line
    return FfmpegInfo(path=path, version=version)


# --- Running ffmpeg/ffprobe on untrusted input ------------------------------------------


class FfmpegFailed(RuntimeError):
    """ffmpeg exited with an error or ran out of time; `stderr` is for logs, never for users."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


def ffprobe_binary() -> str:
    """ffprobe next to the chosen ffmpeg, else on PATH."""
    sibling = Path(ffmpeg_binary()).with_name("ffprobe")
    if sibling.exists():
        return str(sibling)
    found = shutil.which("ffprobe")
    if found:
        return found
    raise FfmpegMissing("ffprobe를 찾을 수 없습니다.")


def _limit_resources(memory_bytes: int):
    def apply() -> None:  # runs in the child, before exec
        if sys.platform.startswith("linux"):
            # Die with the worker that started us, even when it is SIGKILLed.
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_limited(
    args: list[str],
    *,
    timeout: float,
    memory_bytes: int | None = None,
    on_progress=None,
) -> str:
    """Run one ffmpeg/ffprobe process in its own process group with time and memory limits.

    On timeout the whole group is killed. Returns stdout; raises FfmpegFailed.
    `on_progress(line)` receives stdout lines when given (ffmpeg `-progress pipe:1`).
    """
    memory = memory_bytes or settings.VIDEO_FFMPEG_MEMORY_BYTES
    process = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_limit_resources(memory),  # noqa: PLW1509 - limits before exec
        text=True,
        errors="replace",
    )
    deadline = time.monotonic() + timeout
    stderr_chunks: list[str] = []
    stdout_chunks: list[str] = []

    def drain_stderr() -> None:
        for line in process.stderr:
            stderr_chunks.append(line)
            if len(stderr_chunks) > 200:
                del stderr_chunks[:100]

    reader = threading.Thread(target=drain_stderr, daemon=True)
    reader.start()
    timer = threading.Timer(timeout, _kill_group, args=(process,))
    timer.start()
    try:
        for line in process.stdout:
            stdout_chunks.append(line)
            if on_progress is not None:
                on_progress(line)
        process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            _kill_group(process)
            process.wait()
    reader.join(timeout=5)
    stderr = "".join(stderr_chunks)
    if time.monotonic() >= deadline and process.returncode != 0:
        raise FfmpegFailed("ffmpeg timed out", stderr)
    if process.returncode != 0:
        raise FfmpegFailed(f"ffmpeg exited with {process.returncode}", stderr)
    return "".join(stdout_chunks)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class ProbeResult:
    format_name: str
    duration: float
    size_bytes: int
    video_codec: str
    audio_codec: str
    width: int  # as displayed, after rotation
    height: int
    frame_rate: float
    rotation: int
    pix_fmt: str

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)


def ffprobe_json(path: str | os.PathLike, *, timeout: float = 30) -> dict:
    output = run_limited(
        [
            ffprobe_binary(),
            "-v",
            "error",
            "-protocol_whitelist",
            "file",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ],
        timeout=timeout,
    )
    return json.loads(output or "{}")


def _rotation(stream: dict) -> int:
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            return int(float(side["rotation"])) % 360
    rotate = (stream.get("tags") or {}).get("rotate")
    return int(rotate) % 360 if rotate else 0


def _rate(text: str | None) -> float:
    if not text or text in ("0/0",):
        return 0.0
    if "/" in text:
        num, den = text.split("/", 1)
        return float(num) / float(den) if float(den) else 0.0
    return float(text)


def parse_probe(data: dict, size_bytes: int) -> ProbeResult | None:
    """The first real video and audio stream, or None when there is no video."""
    streams = data.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    if video is None:
        return None
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    fmt = data.get("format") or {}
    rotation = _rotation(video)
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if rotation in (90, 270):
        width, height = height, width
    duration = float(fmt.get("duration") or video.get("duration") or 0)
    frame_rate = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
    return ProbeResult(
        format_name=fmt.get("format_name", ""),
        duration=duration,
        size_bytes=size_bytes,
        video_codec=video.get("codec_name", ""),
        audio_codec=(audio or {}).get("codec_name", ""),
        width=width,
        height=height,
        frame_rate=round(frame_rate, 3),
        rotation=rotation,
        pix_fmt=video.get("pix_fmt", ""),
    )


# --- The ladder ----------------------------------------------------------------------------

#: Rungs by their short side (height for landscape, width for portrait), with target
#: video bitrates in kbit/s. No rung above the source.
LADDER = ((1080, 5000), (720, 2800), (540, 1400), (360, 700))
KEYFRAME_SECONDS = 2
SEGMENT_SECONDS = 6


@dataclass(frozen=True)
class Rung:
    name: str  # "720p"
    width: int
    height: int
    video_kbps: int
    audio_kbps: int


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def ladder_for(width: int, height: int) -> list[Rung]:
    """Rungs for a source shown at width x height; portrait keeps its orientation."""
    short, long_ = min(width, height), max(width, height)
    sizes = [(s, kbps) for s, kbps in LADDER if s <= short]
    if not sizes:  # smaller than the smallest rung: one rung at source size
        sizes = [(_even(short), LADDER[-1][1])]
    rungs = []
    for s, kbps in sizes:
        other = _even(long_ * s / short)
        w, h = (other, s) if width >= height else (s, other)
        rungs.append(
            Rung(
                name=f"{s}p",
                width=_even(w),
                height=_even(h),
                video_kbps=kbps,
                audio_kbps=128 if s >= 720 else 96,
            )
        )
    return rungs


#: swscale's area averaging: an anti-aliased box filter for downscaling, cheaper than
#: the default bicubic and kinder to the thin lines of slide text.
SCALE_FLAGS = "area"


def _scaled_cascade(picture, rungs: list[Rung]) -> list:
    """One scaled picture per rung, in the order of `rungs`.

    The largest rung is scaled from the source and every smaller rung from the next
    larger one, so a 1080p source is read by the scaler once rather than once per rung.
    """
    order = sorted(range(len(rungs)), key=lambda i: -rungs[i].width * rungs[i].height)
    pictures: list = [None] * len(rungs)
    current = picture
    for position, i in enumerate(order):
        scaled = current.filter(
            "scale", rungs[i].width, rungs[i].height, flags=SCALE_FLAGS
        )
        if position == len(order) - 1:
            pictures[i] = scaled
        else:
            fork = scaled.filter_multi_output("split", 2)
            pictures[i], current = fork[0], fork[1]
    return pictures


def ladder_command(
    *,
    source: str,
    out_dir: str,
    rungs: list[Rung],
    frame_rate: float,
    has_audio: bool,
    preset: str,
    poster: tuple[str, float, int] | None = None,
) -> list[str]:
    """One ffmpeg process: decode once, split, scale each rung, encode H.264/AAC, fMP4 HLS.

    Keyframes at every 2 s of output time in every rung (so rungs switch cleanly), a
    constant frame rate (VFR sources are resampled), 6 s segments. With `poster`
    (path, time, height) the same process also writes the poster image.
    """
    import ffmpeg as ffmpeg_python

    fps = min(max(round(frame_rate or 30), 1), 60)
    src = ffmpeg_python.input(source, protocol_whitelist="file")
    base = src.video.filter("fps", fps=fps).filter("format", "yuv420p")
    poster_input = None
    if poster:
        fork = base.filter_multi_output("split", 2)
        base, poster_input = fork[0], fork[1]
    pictures = _scaled_cascade(base, rungs)
    streams = []
    options: dict[str, object] = {}
    audio = None
    if has_audio:
        audio = src.audio.filter("aresample", 48000).filter_multi_output(
            "asplit", len(rungs)
        )
    stream_map = []
    index = 0
    for i, rung in enumerate(rungs):
        streams.append(pictures[i])
        options[f"b:v:{i}"] = f"{rung.video_kbps}k"
        options[f"maxrate:v:{i}"] = f"{int(rung.video_kbps * 1.1)}k"
        options[f"bufsize:v:{i}"] = f"{rung.video_kbps * 2}k"
        entry = f"v:{i}"
        if audio is not None:
            streams.append(audio[i])
            options[f"b:a:{i}"] = f"{rung.audio_kbps}k"
            entry += f",a:{i}"
        stream_map.append(entry + f",name:{rung.name}")
        index += 1
    out = ffmpeg_python.output(
        *streams,
        os.path.join(out_dir, "%v", "index.m3u8"),
        **{
            "c:v": "libx264",
            "profile:v": "high",
            "preset": preset,
            "g": fps * KEYFRAME_SECONDS,
            "keyint_min": fps * KEYFRAME_SECONDS,
            "sc_threshold": 0,
            "force_key_frames": f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
            "c:a": "aac",
            "ac": 2,
            "f": "hls",
            "hls_time": SEGMENT_SECONDS,
            "hls_playlist_type": "vod",
            "hls_segment_type": "fmp4",
            "hls_flags": "independent_segments",
            "hls_fmp4_init_filename": "init.mp4",
            "hls_segment_filename": os.path.join(out_dir, "%v", "seg_%05d.m4s"),
            "var_stream_map": " ".join(stream_map),
            "map_metadata": -1,
            **options,
        },
    )
    if poster:
        target, at, height = poster
        still = (
            # only the first frame at or after `at` goes on to the scaler
            poster_input.filter("select", f"isnan(prev_selected_t)*gte(t,{at:.3f})")
            .filter("scale", -2, height)
            .output(target, vframes=1, **{"q:v": 3, "update": 1})
        )
        out = ffmpeg_python.merge_outputs(out, still)
    args = ffmpeg_python.compile(out, cmd=ffmpeg_binary(), overwrite_output=True)
    # Global options go before the input; ffmpeg-python puts kwargs of output last.
    return [args[0], "-hide_banner", "-nostdin", "-v", "error", *args[1:]]


def poster_command(*, source: str, target: str, at: float, height: int) -> list[str]:
    import ffmpeg as ffmpeg_python

    stream = (
        ffmpeg_python.input(source, ss=at, protocol_whitelist="file")
        .video.filter("scale", -2, height)
        .output(target, vframes=1, **{"q:v": 3})
    )
    args = ffmpeg_python.compile(stream, cmd=ffmpeg_binary(), overwrite_output=True)
    return [args[0], "-hide_banner", "-nostdin", "-v", "error", *args[1:]]


# --- Measuring what was made ----------------------------------------------------------------


@dataclass(frozen=True)
class MediaPlaylistStats:
    segment_durations: list[float]
    segment_files: list[str]
    init_file: str
    average_bps: int
    peak_bps: int


def media_playlist_stats(rung_dir: Path) -> MediaPlaylistStats:
    """Average and peak bit rate of a rendition, measured from its segment files.

    Peak is the largest segment's bits over its duration (RFC 8216 BANDWIDTH); the init
    segment counts towards the first segment, as a player downloads both.
    """
    durations: list[float] = []
    files: list[str] = []
    pending = None
    init_name = "init.mp4"
    for line in (rung_dir / "index.m3u8").read_text().splitlines():
        if line.startswith("#EXT-X-MAP:URI="):
            init_name = line.split("=", 1)[1].split(",")[0].strip('"')
        elif line.startswith("#EXTINF:"):
            pending = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line and not line.startswith("#") and pending is not None:
            durations.append(pending)
            files.append(line)
            pending = None
    init = rung_dir / init_name
    init_size = init.stat().st_size if init.exists() else 0
    sizes = [(rung_dir / f).stat().st_size for f in files]
    if sizes:
        sizes[0] += init_size
    total = sum(durations) or 1.0
    rates = [size * 8 / d for size, d in zip(sizes, durations, strict=True) if d > 0]
    return MediaPlaylistStats(
        segment_durations=durations,
        segment_files=files,
        init_file=init_name,
        average_bps=int(sum(sizes) * 8 / total),
        peak_bps=int(max(rates) if rates else 0),
    )


def h264_codec_tag(init_segment: Path) -> str:
    """RFC 6381 codec string of the H.264 stream in an init segment, e.g. avc1.640028."""
    data = init_segment.read_bytes()
    at = data.find(b"avcC")
    if at >= 0 and len(data) > at + 8:
        profile, compat, level = data[at + 5], data[at + 6], data[at + 7]
        return f"avc1.{profile:02x}{compat:02x}{level:02x}"
    return "avc1.640028"
