"""The HLS playlists of an asset, written by our code from what the encoding jobs made.

The same functions write the playlists stored beside the outputs (relative URIs) and the
ones the application serves (every media URI presigned for the request), so both list the
same segments. Segments are byte ranges of each window's fragmented MP4 file: three 2 s
fragments make one 6 s segment.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from media_pipeline.ffmpeg import SEGMENT_SECONDS

#: Subtitles for the deaf and hard of hearing (Apple's HLS authoring specification 4.x).
SDH_CHARACTERISTICS = (
    "public.accessibility.transcribes-spoken-dialog,"
    "public.accessibility.describes-music-and-sound"
)
#: A WebVTT cue at 0 is at media time 0 (RFC 8216 3.5; 90 kHz MPEG-2 clock).
TIMESTAMP_MAP = "X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000"

Uri = Callable[[str], str]  # a file's name under the run's prefix -> its URI


@dataclass(frozen=True)
class Segment:
    uri_name: str  # under the run's prefix
    offset: int
    length: int
    start: float
    duration: float


def _segments_of(window: dict, rung: str) -> list[Segment]:
    """The 6 s segments of one rung in one window: consecutive fragments grouped by the
    segment boundary they start after (window edges are segment boundaries)."""
    info = window["rungs"][rung]
    name = f"{window['folder']}/{rung}.mp4"
    groups: dict[int, list] = {}
    for fragment in info["fragments"]:
        _offset, _length, start, _duration, _first = fragment
        key = math.floor((start - window["start"]) / SEGMENT_SECONDS + 1e-6)
        groups.setdefault(key, []).append(fragment)
    segments = []
    for key in sorted(groups):
        frags = groups[key]
        segments.append(
            Segment(
                uri_name=name,
                offset=frags[0][0],
                length=sum(f[1] for f in frags),
                start=frags[0][2],
                duration=sum(f[3] for f in frags),
            )
        )
    return segments


def rung_segments(windows: list[dict], rung: str) -> list[Segment]:
    return [s for w in windows for s in _segments_of(w, rung)]


def _head(kind: str, target: int) -> list[str]:
    return [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        f"#EXT-X-PLAYLIST-TYPE:{kind}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]


def _map_line(window: dict, rung: str, uri: Uri) -> str:
    """The init segment: the start of the first window's file (all windows' are equal)."""
    init_uri = uri(f"{window['folder']}/{rung}.mp4")
    length = window["rungs"][rung]["init_length"]
    return f'#EXT-X-MAP:URI="{init_uri}",BYTERANGE="{length}@0"'


def _kind(ended: bool) -> str:
    return "VOD" if ended else "EVENT"


def media_playlist(windows: list[dict], rung: str, uri: Uri, *, ended: bool) -> str:
    """A rung's media playlist over the windows done so far (EVENT until all are)."""
    segments = rung_segments(windows, rung)
    target = max([SEGMENT_SECONDS, *(round(s.duration) for s in segments)])
    lines = _head(_kind(ended), target)
    if windows:
        lines.append(_map_line(windows[0], rung, uri))
    for s in segments:
        lines += [
            f"#EXTINF:{s.duration:.6f},",
            f"#EXT-X-BYTERANGE:{s.length}@{s.offset}",
            uri(s.uri_name),
        ]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def iframe_playlist(
    windows: list[dict], rung: str, uri: Uri, *, ended: bool, whole: bool
) -> str:
    """An I-frame playlist (RFC 8216 4.3.3.6): each keyframe as the byte range of its
    fragment's moof and first sample; `whole` for the I-frame-only rendition, whose
    fragments are one picture each."""
    entries = []
    for w in windows:
        for offset, length, _start, duration, first_end in w["rungs"][rung][
            "fragments"
        ]:
            entries.append(
                (
                    f"{w['folder']}/{rung}.mp4",
                    offset,
                    length if whole else first_end,
                    duration,
                )
            )
    target = max([1, *(math.ceil(d - 1e-6) for *_x, d in entries)])
    lines = _head(_kind(ended), target)
    lines.insert(4, "#EXT-X-I-FRAMES-ONLY")
    if windows:
        lines.append(_map_line(windows[0], rung, uri))
    for name, offset, length, duration in entries:
        lines += [
            f"#EXTINF:{duration:.6f},",
            f"#EXT-X-BYTERANGE:{length}@{offset}",
            uri(name),
        ]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def audio_playlist(audio: dict, uri: Uri) -> str:
    """The audio rendition, encoded once for the whole file (always complete)."""
    segments = audio["segments"]
    target = max([SEGMENT_SECONDS, *(round(d) for _n, d, _s in segments)])
    lines = _head("VOD", target)
    init_uri = uri(f"{audio['folder']}/{audio['init']}")
    lines.append(f'#EXT-X-MAP:URI="{init_uri}"')
    for name, duration, _size in segments:
        lines += [f"#EXTINF:{duration:.6f},", uri(f"{audio['folder']}/{name}")]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def subtitle_playlist(vtt_uri: str, duration: float) -> str:
    seconds = max(1, math.ceil(duration))
    return (
        "#EXTM3U\n#EXT-X-VERSION:7\n"
        f"#EXT-X-TARGETDURATION:{seconds}\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration:.3f},\n{vtt_uri}\n#EXT-X-ENDLIST\n"
    )


def webvtt_with_timestamp_map(vtt: str) -> str:
    """The caption file as an HLS WebVTT segment: X-TIMESTAMP-MAP in its header."""
    lines = vtt.replace("\r\n", "\n").split("\n")
    header_end = lines.index("") if "" in lines else len(lines)
    header = [
        line for line in lines[:header_end] if not line.startswith("X-TIMESTAMP-MAP")
    ]
    return "\n".join([*header, TIMESTAMP_MAP, *lines[header_end:]])


# --- Measured figures and the master playlist ---------------------------------------------


def _peak_and_average(pieces: list[tuple[int, float]]) -> tuple[int, int]:
    """(peak, average) bits per second of (bytes, seconds) pieces."""
    rates = [size * 8 / d for size, d in pieces if d > 0]
    total = sum(d for _s, d in pieces) or 1.0
    return int(max(rates) if rates else 0), int(sum(s for s, _d in pieces) * 8 / total)


def audio_figures(audio: dict) -> dict:
    pieces = [(size, d) for _n, d, size in audio["segments"]]
    if pieces:
        pieces[0] = (pieces[0][0] + audio.get("init_size", 0), pieces[0][1])
    peak, average = _peak_and_average(pieces)
    return {
        "bandwidth": peak,
        "average_bandwidth": average,
        "codecs": "mp4a.40.2",
        "playlist": "audio.m3u8",
    }


def renditions(
    windows: list[dict], rungs: list[dict], frame_rate: int, audio: dict | None
) -> list[dict]:
    """One entry per rung with BANDWIDTH / AVERAGE-BANDWIDTH measured from the bytes
    (peak segment rate, the init counted with the first segment, the audio rendition's
    figures added) and the codecs read from the init segment."""
    audio_fig = audio_figures(audio) if audio else None
    out = []
    for rung in rungs:
        name = rung["name"]
        segments = rung_segments(windows, name)
        pieces = [(s.length, s.duration) for s in segments]
        if pieces and windows:
            init = windows[0]["rungs"][name]["init_length"]
            pieces[0] = (pieces[0][0] + init, pieces[0][1])
        peak, average = _peak_and_average(pieces)
        iframe_pieces = [
            (first_end, duration)
            for w in windows
            for _o, _l, _s, duration, first_end in w["rungs"][name]["fragments"]
        ]
        iframe_peak, _avg = _peak_and_average(iframe_pieces)
        codec = windows[0]["rungs"][name]["codec"] if windows else "avc1.640028"
        codecs = codec + (",mp4a.40.2" if audio_fig else "")
        out.append(
            {
                "name": name,
                "width": rung["width"],
                "height": rung["height"],
                "bandwidth": peak + (audio_fig["bandwidth"] if audio_fig else 0),
                "average_bandwidth": average
                + (audio_fig["average_bandwidth"] if audio_fig else 0),
                "codecs": codecs,
                "video_codec": codec,
                "frame_rate": frame_rate,
                "playlist": f"{name}.m3u8",
                "iframe_bandwidth": iframe_peak,
                "iframe_playlist": f"{name}_iframes.m3u8",
            }
        )
    return out


def iframe_rendition(windows: list[dict], width: int, height: int) -> dict:
    pieces = [
        (length, duration)
        for w in windows
        for _o, length, _s, duration, _f in w["rungs"]["iframe"]["fragments"]
    ]
    peak, average = _peak_and_average(pieces)
    return {
        "width": width,
        "height": height,
        "bandwidth": peak,
        "average_bandwidth": average,
        "codecs": windows[0]["rungs"]["iframe"]["codec"] if windows else "avc1.640028",
        "playlist": "iframe.m3u8",
    }


def _quoted(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


def master_playlist(
    renditions: list[dict],
    captions: list,
    *,
    audio: dict | None,
    iframe: dict | None,
) -> str:
    """The master playlist (RFC 8216 4.3.4): the audio group, the subtitles (SDH ones
    with CHARACTERISTICS), the rungs, their I-frame playlists and the 1 fps I-frame-only
    rendition."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    groups = ""
    if audio:
        lines.append(
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="기본",LANGUAGE="ko",'
            'DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio.m3u8"'
        )
        groups += ',AUDIO="aud"'
    for caption in captions:
        characteristics = (
            f',CHARACTERISTICS="{SDH_CHARACTERISTICS}"'
            if getattr(caption, "sdh", False)
            else ""
        )
        lines.append(
            '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",'
            f'NAME="{_quoted(caption.label)}",LANGUAGE="{_quoted(caption.language)}",'
            f"DEFAULT={'YES' if caption is captions[0] else 'NO'},AUTOSELECT=YES"
            f'{characteristics},URI="subs/{_quoted(caption.language)}.m3u8"'
        )
    if captions:
        groups += ',SUBTITLES="subs"'
    for r in renditions:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={r['bandwidth']},"
            f"AVERAGE-BANDWIDTH={r['average_bandwidth']},"
            f"RESOLUTION={r['width']}x{r['height']},"
            f'CODECS="{r["codecs"]}",FRAME-RATE={r["frame_rate"]:.3f}{groups}'
        )
        lines.append(r["playlist"])
    for r in renditions:
        if r.get("iframe_playlist"):
            lines.append(
                f"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH={r['iframe_bandwidth']},"
                f"RESOLUTION={r['width']}x{r['height']},"
                f'CODECS="{r.get("video_codec", r["codecs"].split(",")[0])}",'
                f'URI="{r["iframe_playlist"]}"'
            )
    if iframe:
        lines.append(
            f"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH={iframe['bandwidth']},"
            f"AVERAGE-BANDWIDTH={iframe['average_bandwidth']},"
            f"RESOLUTION={iframe['width']}x{iframe['height']},"
            f'CODECS="{iframe["codecs"]}",URI="{iframe["playlist"]}"'
        )
    return "\n".join(lines) + "\n"
