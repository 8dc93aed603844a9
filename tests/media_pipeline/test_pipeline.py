"""Show 1 and 2: real files through the whole pipeline; hostile inputs rejected."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from media_pipeline.models import VideoAsset
from media_pipeline.services import asset_import_file
from tests.media_pipeline.conftest import storage_bytes, storage_files

pytestmark = pytest.mark.django_db

# source kind -> expected rung sizes (width x height), as the player would show them
EXPECTED = {
    "landscape": ["1280x720", "960x540", "640x360"],
    "portrait": ["720x1280", "540x960", "360x640"],
    "rotated": ["360x640"],  # stored 640x360 with rotate=90: shown upright
    "odd": ["628x360"],
    "vfr": ["640x360"],
    "no_audio": ["640x360"],
    "hevc10": ["640x360"],
    "uhd": ["1920x1080", "1280x720", "960x540", "640x360"],
}


def _master(text: str) -> list[dict]:
    variants, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(
                re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1])
            )
            variants.append({**attrs, "uri": lines[i + 1]})
    return variants


def _media(text: str) -> tuple[str, list[tuple[float, str]]]:
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', text).group(1)
    segs = re.findall(r"#EXTINF:([\d.]+),\s*\n([^\n#]+)", text)
    return init, [(float(d), name.strip()) for d, name in segs]


def _keyframe_times(path) -> list[float]:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-skip_frame",
            "nokey",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [round(float(f["pts_time"]), 2) for f in json.loads(out)["frames"]]


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_source_becomes_ready_with_right_ladder(kind, clips, fast_transcode, tmp_path):
    asset = asset_import_file(path=clips[kind], title=kind)

    assert asset.state == VideoAsset.State.READY, asset.reason
    assert asset.progress == 100
    assert asset.poster and storage_bytes(asset.poster)[:2] == b"\xff\xd8"  # JPEG
    prefix = asset.master_playlist.rsplit("/", 1)[0]
    variants = _master(storage_bytes(asset.master_playlist).decode())
    assert [v["RESOLUTION"] for v in variants] == EXPECTED[kind]
    if kind == "no_audio":
        assert all("mp4a" not in v["CODECS"] for v in variants)
    else:
        assert all("mp4a.40.2" in v["CODECS"] for v in variants)

    keyframes = []
    for variant in variants:
        folder = f"{prefix}/{variant['uri'].rsplit('/', 1)[0]}"
        init, segments = _media(storage_bytes(f"{prefix}/{variant['uri']}").decode())
        # 6 s segments (the last one holds what is left)
        assert segments, variant
        for duration, _name in segments[:-1]:
            assert abs(duration - 6) <= 0.5, segments
        # declared peak bandwidth within 10 % of the peak measured from the bytes
        sizes = [len(storage_bytes(f"{folder}/{name}")) for _d, name in segments]
        measured_peak = max(
            s * 8 / d for s, (d, _n) in zip(sizes, segments, strict=True)
        )
        declared = int(variant["BANDWIDTH"])
        assert abs(declared - measured_peak) / measured_peak <= 0.10
        total = sum(d for d, _n in segments)
        assert abs(total - asset.duration) < 1.0
        # keyframes: every 2 s, at the same times in every rung
        joined = tmp_path / f"{variant['RESOLUTION']}.mp4"
        with joined.open("wb") as out:
            out.write(storage_bytes(f"{folder}/{init}"))
            for _d, name in segments:
                out.write(storage_bytes(f"{folder}/{name}"))
        times = _keyframe_times(joined)
        assert all(abs(t / 2 - round(t / 2)) < 0.05 for t in times), times
        assert len(times) >= int(asset.duration // 2)
        keyframes.append(times)
    assert all(times == keyframes[0] for times in keyframes)


HOSTILE = [
    "hls",
    "passwd_playlist",
    "concat",
    "dash",
    "text",
    "empty",
    "truncated",
    "audio_only",
]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_or_broken_input_is_rejected(kind, clips, fast_transcode):
    asset = asset_import_file(path=clips[kind], title=kind)

    assert asset.state == VideoAsset.State.REJECTED
    assert re.search(r"[가-힣]", asset.reason)
    for leak in ("ffmpeg", "ffprobe", "Invalid data", "moov", "/etc", "Error"):
        assert leak not in asset.reason
    assert asset.master_playlist == ""
    assert storage_files(f"videos/hls/{asset.pk}") == []


def test_no_output_ever_holds_bytes_of_another_file(clips, fast_transcode):
    """Even when the sniffing is bypassed, ffprobe with `-protocol_whitelist file` and
    the container allowlist refuse a playlist that points at /etc/passwd."""
    from media_pipeline.services import Rejected, probe_untrusted

    disguised = clips["passwd_playlist"].with_name("disguised.mp4")
    # binary junk first, so the text sniffing does not see the playlist
    disguised.write_bytes(b"\x00\x01\x02" + clips["passwd_playlist"].read_bytes())
    with pytest.raises(Rejected):
        probe_untrusted(disguised)
    asset = asset_import_file(path=disguised, title="disguised")
    assert asset.state == VideoAsset.State.REJECTED
    passwd = open("/etc/passwd", "rb").read()[:32]
    for name in storage_files("videos/hls"):
        assert passwd not in storage_bytes(name)


def test_import_videos_json_contract(clips, fast_transcode, capsys):
    from django.core.management import call_command

    call_command("import_videos", str(clips["no_audio"]), str(clips["text"]), "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["status"] for line in lines] == ["ready", "rejected"]
    ready, rejected = lines
    assert set(ready) == {
        "file",
        "asset_id",
        "status",
        "reason",
        "master_playlist",
        "renditions",
    }
    assert ready["master_playlist"].endswith("/master.m3u8")
    assert storage_bytes(ready["master_playlist"]).startswith(b"#EXTM3U")
    assert ready["renditions"] == [
        {"height": 360, "bandwidth": ready["renditions"][0]["bandwidth"]}
    ]
    assert ready["renditions"][0]["bandwidth"] > 0
    assert rejected["master_playlist"] is None and rejected["reason"]


def test_import_of_a_missing_file_is_rejected(tmp_path):
    asset = asset_import_file(path=tmp_path / "nowhere.mp4", title="없음")
    assert asset.state == VideoAsset.State.REJECTED
    assert asset.reason == "파일을 찾을 수 없습니다."
