"""Real-time factor of the whole video pipeline on a long 1080p lecture-like clip.

    .venv/bin/python benchmarks/transcode_rtf.py [--minutes 10] [--preset veryfast]
                                                 [--clip camera|static]

The clip is one of those benchmarks/transcode.py makes (1920x1080, 30 fps, a slide with a
small moving picture and a voice-like tone; "camera", the default, adds sensor noise at
16 Mbit/s as a camera records, "static" is a clean screen recording), one minute of it
generated and then joined `--minutes` times without re-encoding. The figure is the real-time factor of
the pipeline (clip duration / wall time of probe, ladder, poster, measuring and
publishing; target >= 1.0x at the default preset). Baseline in the same run: the
real-time factor of ffmpeg only decoding the clip (`-f null`), the floor of any
pipeline that reads every frame.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _common  # noqa: E402
from transcode import CLIPS, make_clip  # noqa: E402

from media_pipeline.ffmpeg import ffmpeg_binary  # noqa: E402


def long_clip(folder: Path, minutes: int, kind: str) -> Path:
    one = folder / "one-minute.mp4"
    make_clip(one, 60, kind)
    if minutes == 1:
        return one
    listing = folder / "list.txt"
    listing.write_text(f"file '{one.name}'\n" * minutes)
    clip = folder / f"lecture-{minutes}min.mp4"
    subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-c",
            "copy",
            str(clip),
        ],
        check=True,
        cwd=folder,
    )
    return clip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument(
        "--preset", default="", help="x264 preset (default: VIDEO_X264_PRESET)"
    )
    parser.add_argument("--quick", action="store_true", help="a 1-minute clip")
    parser.add_argument("--clip", choices=sorted(CLIPS), default="camera")
    args = parser.parse_args()
    if args.quick:
        args.minutes = 1

    tmp = Path(tempfile.mkdtemp(prefix="transcode-rtf-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # The pipeline's few rows do not need PostgreSQL; the time is ffmpeg's.
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["VIDEO_WORK_DIR"] = str(tmp / "work")
    if args.preset:
        os.environ["VIDEO_X264_PRESET"] = args.preset
    os.environ.pop("AWS_STORAGE_BUCKET_NAME", None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from media_pipeline import ffmpeg
    from media_pipeline.services import asset_import_file

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        clip = long_clip(tmp, args.minutes, args.clip)
        make_s = time.perf_counter() - started
        probe = ffmpeg.parse_probe(ffmpeg.ffprobe_json(clip), clip.stat().st_size)
        duration = probe.duration

        started = time.perf_counter()
        subprocess.run(
            [ffmpeg_binary(), "-v", "error", "-i", str(clip), "-f", "null", "-"],
            check=True,
        )
        decode_s = time.perf_counter() - started

        started = time.perf_counter()
        asset = asset_import_file(path=clip, title="benchmark")
        pipeline_s = time.perf_counter() - started
        if asset.state != "ready":
            raise SystemExit(f"pipeline ended in {asset.state}: {asset.reason}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rtf = duration / pipeline_s
    decode_rtf = duration / decode_s
    rungs = [r.name for r in ffmpeg.ladder_for(probe.width, probe.height)]
    _common.report(
        f"transcode real-time factor ({args.minutes} min 1080p, {args.clip} clip)",
        value=rtf,
        unit="x real time",
        baseline=decode_rtf,
        target=">= 1.0x",
        met=rtf >= 1.0,
        notes=(
            f"clip {duration:.0f} s {probe.width}x{probe.height}, rungs {rungs},"
            f" preset {settings.VIDEO_X264_PRESET}, {os.cpu_count()} cpus; pipeline"
            f" {pipeline_s:.1f} s, decode only {decode_s:.1f} s; clip made in"
            f" {make_s:.0f} s; baseline = ffmpeg decoding to null"
        ),
    )


if __name__ == "__main__":
    main()
