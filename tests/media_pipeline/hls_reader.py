"""Reading HLS outputs the way a player does: playlists, byte ranges, then ffprobe."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from media_pipeline.ffmpeg import ffprobe_binary

_ATTR = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


def attrs(line: str) -> dict[str, str]:
    return {k: v.strip('"') for k, v in _ATTR.findall(line.split(":", 1)[1])}


def master(text: str) -> dict:
    lines = text.splitlines()
    out = {"variants": [], "iframes": [], "media": []}
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            out["variants"].append({**attrs(line), "uri": lines[i + 1]})
        elif line.startswith("#EXT-X-I-FRAME-STREAM-INF:"):
            out["iframes"].append(attrs(line))
        elif line.startswith("#EXT-X-MEDIA:"):
            out["media"].append(attrs(line))
    return out


@dataclass
class Entry:
    uri: str
    duration: float
    length: int | None
    offset: int | None


@dataclass
class Media:
    tags: list[str]
    init_uri: str
    init_range: tuple[int, int] | None  # (length, offset)
    entries: list[Entry]
    ended: bool


def media(text: str) -> Media:
    tags, entries = [], []
    init_uri, init_range = "", None
    duration = None
    byterange = None
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            a = attrs(line)
            init_uri = a["URI"]
            if "BYTERANGE" in a:
                length, offset = a["BYTERANGE"].split("@")
                init_range = (int(length), int(offset))
        elif line.startswith("#EXTINF:"):
            duration = float(line.split(":", 1)[1].split(",")[0])
        elif line.startswith("#EXT-X-BYTERANGE:"):
            length, offset = line.split(":", 1)[1].split("@")
            byterange = (int(length), int(offset))
        elif line.startswith("#"):
            tags.append(line)
        elif line.strip():
            entries.append(
                Entry(
                    uri=line.strip(),
                    duration=duration,
                    length=byterange[0] if byterange else None,
                    offset=byterange[1] if byterange else None,
                )
            )
            duration = byterange = None
    return Media(
        tags=tags,
        init_uri=init_uri,
        init_range=init_range,
        entries=entries,
        ended="#EXT-X-ENDLIST" in tags,
    )


def _read(fetch, uri: str, byterange: tuple[int, int] | None) -> bytes:
    data = fetch(uri)
    if byterange is None:
        return data
    length, offset = byterange
    part = data[offset : offset + length]
    assert len(part) == length, (uri, byterange, len(data))
    return part


def assemble(playlist: Media, fetch, base: str = "") -> bytes:
    """The rendition's bytes as a player appends them: init, then each segment."""
    out = [_read(fetch, urljoin(base, playlist.init_uri), playlist.init_range)]
    for e in playlist.entries:
        rng = (e.length, e.offset) if e.length is not None else None
        out.append(_read(fetch, urljoin(base, e.uri), rng))
    return b"".join(out)


def probe_packets(path: Path, stream: str) -> list[dict]:
    out = subprocess.run(
        [
            ffprobe_binary(),
            "-v",
            "error",
            "-select_streams",
            stream,
            "-show_entries",
            "packet=pts_time,duration_time,flags",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(out)["packets"]


def keyframe_times(path: Path) -> list[float]:
    return sorted(
        round(float(p["pts_time"]), 3)
        for p in probe_packets(path, "v:0")
        if "K" in p.get("flags", "")
    )


def frame_times(path: Path) -> list[float]:
    return sorted(float(p["pts_time"]) for p in probe_packets(path, "v:0"))
