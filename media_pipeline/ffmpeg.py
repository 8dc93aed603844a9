"""How the ffmpeg program is found and called. Every ffmpeg process starts from here."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

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
