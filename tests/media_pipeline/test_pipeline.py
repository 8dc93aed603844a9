"""Real files through the whole pipeline, one task and chunked into windows (issue 15,
Show 1); hostile inputs rejected; the import_videos contract (Show 6)."""

from __future__ import annotations

import json
import math
import re

import pytest

from media_pipeline.models import VideoAsset, VideoWindow
from media_pipeline.services import asset_import_file, windows_plan
from tests.media_pipeline import hls_reader
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


def _fetcher(prefix: str):
    cache: dict[str, bytes] = {}

    def fetch(uri: str) -> bytes:
        if uri not in cache:
            cache[uri] = storage_bytes(f"{prefix}/{uri}")
        return cache[uri]

    return fetch


def _peak(pieces: list[tuple[int, float]]) -> float:
    return max(size * 8 / d for size, d in pieces if d > 0)


def _measured_bandwidth(playlist: hls_reader.Media) -> float:
    """Peak segment bit rate measured from the bytes the playlist names (the init
    segment counted with the first segment, as a player fetches both)."""
    sizes = [e.length for e in playlist.entries]
    sizes[0] += playlist.init_range[0] if playlist.init_range else 0
    return _peak(
        [(s, e.duration) for s, e in zip(sizes, playlist.entries, strict=True)]
    )


def _audio_peak(prefix: str, text: str) -> float:
    playlist = hls_reader.media(text)
    fetch = _fetcher(prefix)
    sizes = [len(fetch(e.uri)) for e in playlist.entries]
    sizes[0] += len(fetch(playlist.init_uri))
    return _peak(
        [(s, e.duration) for s, e in zip(sizes, playlist.entries, strict=True)]
    )


def _conforms(asset, tmp_path, *, expected_sizes=None) -> dict:
    """Everything a ready asset's HLS must be, as today: rungs never above the source,
    6 s segments, declared bandwidths within 10 % of the measured ones, keyframes every
    2 s at the same times in every rung; plus the Apple authoring items. Returns the
    keyframe times, segment durations and frame times of each rung."""
    prefix = asset.output_prefix
    fetch = _fetcher(prefix)
    top = hls_reader.master(storage_bytes(asset.master_playlist).decode())
    variants = top["variants"]
    if expected_sizes is not None:
        assert [v["RESOLUTION"] for v in variants] == expected_sizes
    short_side = min(asset.width, asset.height)
    for v in variants:
        w, h = map(int, v["RESOLUTION"].split("x"))
        assert min(w, h) <= max(short_side, 16)
    audio_peak = 0.0
    if asset.audio_codec:
        assert all("mp4a.40.2" in v["CODECS"] and v["AUDIO"] == "aud" for v in variants)
        audio = next(m for m in top["media"] if m["TYPE"] == "AUDIO")
        audio_peak = _audio_peak(prefix, fetch(audio["URI"]).decode())
    else:
        assert all("mp4a" not in v["CODECS"] for v in variants)
    # I-frame playlists for every rung and the 1 fps I-frame-only rendition (6.x).
    iframe_uris = [i["URI"] for i in top["iframes"]]
    assert iframe_uris == [
        v["uri"].replace(".m3u8", "_iframes.m3u8") for v in variants
    ] + ["iframe.m3u8"]
    found = {}
    for variant in variants:
        text = fetch(variant["uri"]).decode()
        playlist = hls_reader.media(text)
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist.tags and playlist.ended
        assert "#EXT-X-INDEPENDENT-SEGMENTS" in playlist.tags
        durations = [e.duration for e in playlist.entries]
        for d in durations[:-1]:
            assert abs(d - 6) <= 0.5, durations
        declared = int(variant["BANDWIDTH"])
        measured = _measured_bandwidth(playlist) + audio_peak
        assert abs(declared - measured) / measured <= 0.10, (declared, measured)
        joined = tmp_path / f"{asset.pk}-{variant['RESOLUTION']}.mp4"
        joined.write_bytes(hls_reader.assemble(playlist, fetch))
        keyframes = hls_reader.keyframe_times(joined)
        first = keyframes[0]
        assert all(
            abs((t - first) / 2 - round((t - first) / 2)) < 0.01 for t in keyframes
        )
        assert len(keyframes) == math.ceil(sum(durations) / 2 - 1e-6)
        # The I-frame playlist names each keyframe: its fragment's moof and first sample.
        iframes = hls_reader.media(
            fetch(variant["uri"].replace(".m3u8", "_iframes.m3u8")).decode()
        )
        assert "#EXT-X-I-FRAMES-ONLY" in iframes.tags
        assert len(iframes.entries) == len(keyframes)
        assert all(abs(e.duration - 2) < 0.01 for e in iframes.entries[:-1])
        found[variant["RESOLUTION"]] = {
            "keyframes": keyframes,
            "durations": durations,
            "frames": hls_reader.frame_times(joined),
        }
    trick = hls_reader.media(fetch("iframe.m3u8").decode())
    assert "#EXT-X-I-FRAMES-ONLY" in trick.tags
    assert all(abs(e.duration - 1) < 0.01 for e in trick.entries[:-1])
    assert abs(len(trick.entries) - asset.duration) <= 1
    joined = tmp_path / f"{asset.pk}-iframe.mp4"
    joined.write_bytes(hls_reader.assemble(trick, fetch))
    packets = hls_reader.probe_packets(joined, "v:0")
    assert packets and all("K" in p["flags"] for p in packets)
    first = next(iter(found.values()))["keyframes"]
    assert all(v["keyframes"] == first for v in found.values())
    return found


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_source_becomes_ready_with_right_ladder(kind, clips, fast_transcode, tmp_path):
    """Short videos stay one task: one window, encoded with its audio in one process."""
    asset = asset_import_file(path=clips[kind], title=kind)

    assert asset.state == VideoAsset.State.READY, asset.reason
    assert asset.progress == 100
    assert asset.poster and storage_bytes(asset.poster)[:2] == b"\xff\xd8"  # JPEG
    jobs = VideoWindow.objects.filter(asset=asset, run_id=asset.run_id)
    assert jobs.filter(kind="video").count() == 1
    assert len({j.worker for j in jobs}) == 1  # one task did all of it
    found = _conforms(asset, tmp_path, expected_sizes=EXPECTED[kind])
    for rung in found.values():
        assert abs(sum(rung["durations"]) - asset.duration) < 1.0


CHUNKED = ["landscape", "portrait", "odd", "vfr", "no_audio", "hevc10"]


def _one_window(path, settings) -> VideoAsset:
    settings.VIDEO_WINDOW_SECONDS = 600
    return asset_import_file(path=path, title="one window")


@pytest.mark.slow
@pytest.mark.parametrize("kind", CHUNKED)
def test_chunked_output_conforms_and_matches_a_one_window_encode(
    kind, chunk_clips, small_windows, tmp_path
):
    asset = asset_import_file(path=chunk_clips[kind], title=kind)

    assert asset.state == VideoAsset.State.READY, asset.reason
    windows = list(
        VideoWindow.objects.filter(asset=asset, run_id=asset.run_id, kind="video")
    )
    assert [(w.start, w.end) for w in windows] == [
        (0, 6),
        (6, 12),
        (12, pytest.approx(asset.duration)),
    ]
    assert all(w.state == "done" for w in windows)
    found = _conforms(asset, tmp_path)
    fps = round(asset.frame_rate) if kind != "vfr" else 30
    frame = 1 / fps
    for rung in found.values():
        # Keyframes at the window joins too (6 s and 12 s after the first picture).
        first = rung["keyframes"][0]
        assert any(abs(t - first - 6) < 0.01 for t in rung["keyframes"])
        assert any(abs(t - first - 12) < 0.01 for t in rung["keyframes"])
        # No gap and no overlap in the timeline: every frame one frame after the last.
        steps = [
            b - a for a, b in zip(rung["frames"], rung["frames"][1:], strict=False)
        ]
        assert max(steps) < frame * 1.01 and min(steps) > frame * 0.99, (
            min(steps),
            max(steps),
        )
    # The init segment: one per rung, the same bytes in every window's file.
    prefix = asset.output_prefix
    for rung in found:
        name = next(
            r["name"] for r in asset.renditions if rung == f"{r['width']}x{r['height']}"
        )
        inits = {
            storage_bytes(f"{prefix}/{w.outputs['folder']}/{name}.mp4")[
                : w.outputs["rungs"][name]["init_length"]
            ]
            for w in windows
        }
        assert len(inits) == 1
    if asset.audio_codec:
        _audio_has_no_gaps(asset, [6.0, 12.0], tmp_path)

    one = _one_window(chunk_clips[kind], small_windows)
    assert one.state == VideoAsset.State.READY, one.reason
    assert VideoWindow.objects.filter(asset=one, kind="video").count() == 1
    single = _conforms(one, tmp_path)
    assert single.keys() == found.keys()
    for size, rung in found.items():
        reference = single[size]
        assert len(rung["durations"]) == len(reference["durations"])
        for a, b in zip(rung["durations"], reference["durations"], strict=True):
            assert abs(a - b) <= frame + 1e-6
        assert rung["keyframes"] == reference["keyframes"]


AAC_FRAME = 1024 / 48000


def _audio_has_no_gaps(asset, joins: list[float], tmp_path) -> None:
    """The audio is one rendition encoded once for the whole file: across the window
    joins (and everywhere else) each AAC frame follows the last one without a gap
    larger than one frame, and it lasts as long as the video."""
    prefix = asset.output_prefix
    fetch = _fetcher(prefix)
    playlist = hls_reader.media(fetch("audio.m3u8").decode())
    joined = tmp_path / f"{asset.pk}-audio.mp4"
    joined.write_bytes(hls_reader.assemble(playlist, fetch))
    times = [float(p["pts_time"]) for p in hls_reader.probe_packets(joined, "a:0")]
    # Timestamps of a Matroska source have 1 ms steps: a frame may start up to 1 ms
    # early or late, far less than the one AAC frame (21.3 ms) a gap may not exceed.
    steps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert max(steps) - AAC_FRAME <= 0.001 and min(steps) >= AAC_FRAME - 0.001
    for at in joins:
        around = [
            b - a
            for a, b in zip(times, times[1:], strict=False)
            if a - 0.1 <= at <= b + 0.1
        ]
        assert around and max(around) - AAC_FRAME <= 0.001
    assert abs(times[-1] + AAC_FRAME - asset.duration) < 0.1


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


@pytest.mark.slow
def test_import_videos_json_contract_for_a_chunked_video(
    chunk_clips, small_windows, capsys
):
    from django.core.management import call_command

    call_command("import_videos", str(chunk_clips["landscape"]), "--json")
    (line,) = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert set(line) == {
        "file",
        "asset_id",
        "status",
        "reason",
        "master_playlist",
        "renditions",
    }
    assert line["status"] == "ready" and line["reason"] == ""
    assert storage_bytes(line["master_playlist"]).startswith(b"#EXTM3U")
    assert [r["height"] for r in line["renditions"]] == [720, 540, 360]
    assert all(r["bandwidth"] > 0 for r in line["renditions"])
    asset = VideoAsset.objects.get(pk=line["asset_id"])
    assert asset.windows.filter(kind="video").count() == 3


@pytest.mark.parametrize(
    ("duration", "window", "first", "expected"),
    [
        (8, 60, 12, [(0, 8)]),  # a short video is one window, one task
        (72, 60, 12, [(0, 72)]),
        (73, 60, 12, [(0, 12), (12, 73)]),
        (
            300,
            60,
            12,
            [(0, 12), (12, 72), (72, 132), (132, 192), (192, 252), (252, 300)],
        ),
        (19, 6, 6, [(0, 6), (6, 12), (12, 19)]),
        (25, 7, 13, [(0, 12), (12, 18), (18, 25)]),  # whole segments only
    ],
)
def test_windows_fall_on_segment_boundaries(
    settings, duration, window, first, expected
):
    settings.VIDEO_WINDOW_SECONDS = window
    settings.VIDEO_FIRST_WINDOW_SECONDS = first
    plan = windows_plan(duration)
    assert plan == expected
    assert all(start % 6 == 0 for start, _end in plan)
