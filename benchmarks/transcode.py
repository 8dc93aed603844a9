"""Wall time of the video pipeline against bare ffmpeg, measured in one run.

    .venv/bin/python benchmarks/transcode.py [--seconds 30] [--preset veryfast]

On a generated 1080p lecture-like clip (a slide with a moving picture, light camera noise,
a voice-like tone, 16 Mbit/s as a camera records it; `--clip static` for a clean,
low-rate screen recording) it times
  (a) the whole pipeline (probe, one-process ladder, poster, measuring, publishing),
  (b) the bare one-process ffmpeg command that makes the same ladder,
  (c) one ffmpeg process per rung, run one after another,
and prints a/b (pipeline overhead; target <= 1.10) and b/c (decode once; target <= 0.75).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from media_pipeline.ffmpeg import ffmpeg_binary  # noqa: E402

#: The default clip stands for a lecture recorded by a camera: a slide behind a moving
#: picture, light sensor noise, and the constant high bit rate (16 Mbit/s) that phones and
#: camcorders record 1080p30 at. "static" is a screen-recording-like clip with no noise at
#: a low bit rate: almost free to decode, so it shows the least that decoding once can save.
CLIPS = {
    "camera": {
        "noise": 2,
        "video": ["-b:v", "16M", "-maxrate", "16M", "-bufsize", "32M"],
    },
    "static": {"noise": 0, "video": ["-crf", "20"]},
}


def make_clip(target: Path, seconds: int, kind: str = "camera") -> None:
    spec = CLIPS[kind]
    noise = f",noise=alls={spec['noise']}:allf=t" if spec["noise"] else ""
    subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"smptehdbars=size=1920x1080:rate=30:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=640x360:rate=30:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=220:sample_rate=48000:duration={seconds}",
            "-filter_complex",
            f"[0:v][1:v]overlay=x=1240:y=680{noise}[v]",
            "-map",
            "[v]",
            "-map",
            "2:a",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-g",
            "30",
            *spec["video"],
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-ac",
            "2",
            str(target),
        ],
        check=True,
    )


def timed(fn) -> tuple[float, float]:
    """Wall time, and the CPU time of the ffmpeg processes it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--clip", choices=sorted(CLIPS), default="camera")
    parser.add_argument(
        "--repeat",
        type=int,
        # One round swung b/c between 0.65 and 0.75 on the same machine (other
        # tenants' load on a shared host): the best of three is the steadier figure.
        default=3,
        help="rounds, in alternating order; the best time of each is kept (noisy machines)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="transcode-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["VIDEO_WORK_DIR"] = str(tmp / "work")
    os.environ["VIDEO_X264_PRESET"] = args.preset
    os.environ.pop("AWS_STORAGE_BUCKET_NAME", None)

    import django

    django.setup()
    from django.core.management import call_command

    from media_pipeline import ffmpeg
    from media_pipeline.services import asset_import_file

    call_command("migrate", verbosity=0)
    clip = tmp / "lecture-1080p.mp4"
    make_clip(clip, args.seconds, args.clip)
    probe = ffmpeg.parse_probe(ffmpeg.ffprobe_json(clip), clip.stat().st_size)
    rungs = ffmpeg.ladder_for(probe.width, probe.height)

    def bare(selected, name):
        out = tmp / name
        for rung in selected:
            (out / rung.name).mkdir(parents=True, exist_ok=True)
        command = ffmpeg.ladder_command(
            source=str(clip),
            out_dir=str(out),
            rungs=selected,
            frame_rate=probe.frame_rate,
            has_audio=probe.has_audio,
            preset=args.preset,
        )
        subprocess.run(command, check=True)

    def pipeline():
        asset = asset_import_file(path=clip, title="benchmark")
        assert asset.state == "ready", asset.reason

    # warm the page cache and the binaries once, outside the timings
    subprocess.run(
        [ffmpeg_binary(), "-v", "error", "-i", str(clip), "-f", "null", "-"], check=True
    )
    runs = {
        "a": pipeline,
        "b": lambda: bare(rungs, "one-process"),
        "c": lambda: [bare([rung], f"per-rung-{rung.name}") for rung in rungs],
    }
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for round_ in range(args.repeat):
        order = ["b", "c", "a"] if round_ % 2 == 0 else ["a", "c", "b"]
        for key in order:
            wall, used = timed(runs[key])
            if wall < best.get(key, float("inf")):
                best[key], cpu[key] = wall, used
    a, b, c = best["a"], best["b"], best["c"]

    print(
        f"clip: {args.clip}, {args.seconds} s 1920x1080 30 fps, {clip.stat().st_size * 8 / args.seconds / 1e6:.1f} Mbit/s, "
        f"rungs {[r.name for r in rungs]}, preset {args.preset}, cpus {os.cpu_count()}, best of {args.repeat}"
    )
    print("                               wall       ffmpeg CPU")
    print(f"(a) whole pipeline            {a:8.2f} s  {cpu['a']:8.2f} s")
    print(f"(b) one ffmpeg, whole ladder  {b:8.2f} s  {cpu['b']:8.2f} s")
    print(f"(c) one ffmpeg per rung       {c:8.2f} s  {cpu['c']:8.2f} s")
    print(f"a/b = {a / b:.3f}  (target <= 1.10)")
    print(f"b/c = {b / c:.3f}  (target <= 0.75)")
    notes = (
        f"{args.clip} clip, {args.seconds} s 1080p30, preset {args.preset},"
        f" best of {args.repeat}"
    )
    for name, value, base, target, met in (
        (
            "transcode: pipeline / bare one-process ffmpeg (a/b)",
            a,
            b,
            "<= 1.10",
            a / b <= 1.10,
        ),
        ("transcode: one process / one per rung (b/c)", b, c, "<= 0.75", b / c <= 0.75),
    ):
        print(
            "BENCH_JSON "
            + json.dumps(
                {
                    "name": name,
                    "value": round(value, 2),
                    "unit": "s",
                    "baseline": round(base, 2),
                    "ratio": round(value / base, 3),
                    "target": target,
                    "met": bool(met),
                    "notes": notes,
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
