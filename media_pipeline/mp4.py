"""Reading and re-timing the fragmented MP4 files that ffmpeg writes for one window.

A window file is `ftyp moov (moof mdat)*`: one fragment per 2 s group of pictures (the
muxer starts one at each keyframe). Each window is encoded from time 0, so its
fragments' decode times (`tfdt`) and sequence numbers (`mfhd`) are moved to the window's
place in the whole video here, in place and without changing any size.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

_CONTAINERS = {"moov", "trak", "mdia", "minf", "stbl", "moof", "traf", "mvex", "dinf"}


class Mp4Error(ValueError):
    pass


def boxes(data: bytes | bytearray, start: int = 0, end: int | None = None):
    """(offset, size, type) of each box between start and end."""
    end = len(data) if end is None else end
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            size = struct.unpack_from(">Q", data, at + 8)[0]
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise Mp4Error(f"box {kind!r} at {at} runs past its parent")
        yield at, size, kind.decode("latin-1")
        at += size


def find(data, path: list[str], start: int = 0, end: int | None = None):
    """Offsets and sizes of every box at `path` (e.g. ["moof", "traf", "tfdt"])."""
    for at, size, kind in boxes(data, start, end):
        if kind != path[0]:
            continue
        if len(path) == 1:
            yield at, size
        elif kind in _CONTAINERS:
            yield from find(data, path[1:], at + 8, at + size)


@dataclass(frozen=True)
class Fragment:
    offset: int  # of its moof
    length: int  # moof + mdat
    decode_time: int  # tfdt, in the track's timescale
    duration: int  # sum of its samples' durations, same timescale
    first_sample_end: int  # bytes from `offset` to the end of its first sample

    def as_list(self, timescale: int) -> list:
        return [
            self.offset,
            self.length,
            round(self.decode_time / timescale, 6),
            round(self.duration / timescale, 6),
            self.first_sample_end,
        ]


@dataclass(frozen=True)
class FragmentedFile:
    init_length: int  # ftyp + moov
    init_sha256: str
    timescale: int
    codec: str  # RFC 6381, e.g. avc1.64001f
    fragments: list[Fragment]


def _full_box(data, at: int) -> tuple[int, int]:
    value = struct.unpack_from(">I", data, at + 8)[0]
    return value >> 24, value & 0xFFFFFF


def _timescale(data, moov_at: int, moov_size: int) -> int:
    for at, _size in find(
        data, ["trak", "mdia", "mdhd"], moov_at + 8, moov_at + moov_size
    ):
        version, _flags = _full_box(data, at)
        return struct.unpack_from(">I", data, at + (28 if version == 1 else 20))[0]
    raise Mp4Error("no mdhd")


def codec_tag(init: bytes) -> str:
    """RFC 6381 codec string of the H.264 stream in an init segment, e.g. avc1.640028."""
    at = init.find(b"avcC")
    if at >= 0 and len(init) > at + 8:
        profile, compat, level = init[at + 5], init[at + 6], init[at + 7]
        return f"avc1.{profile:02x}{compat:02x}{level:02x}"
    return "avc1.640028"


def _traf_timing(data, traf_at: int, traf_size: int, moof_at: int):
    """(tfdt offset, version, decode time, duration, first sample end) of one traf."""
    default_duration = default_size = 0
    tfdt_at = tfdt_version = None
    decode_time = 0
    duration = 0
    first_end = None
    for at, _size, kind in boxes(data, traf_at + 8, traf_at + traf_size):
        version, flags = _full_box(data, at)
        if kind == "tfhd":
            cursor = at + 16  # after track_ID
            if flags & 0x01:
                cursor += 8
            if flags & 0x02:
                cursor += 4
            if flags & 0x08:
                default_duration = struct.unpack_from(">I", data, cursor)[0]
                cursor += 4
            if flags & 0x10:
                default_size = struct.unpack_from(">I", data, cursor)[0]
        elif kind == "tfdt":
            tfdt_at, tfdt_version = at, version
            decode_time = (
                struct.unpack_from(">Q", data, at + 12)[0]
                if version == 1
                else struct.unpack_from(">I", data, at + 12)[0]
            )
        elif kind == "trun":
            count = struct.unpack_from(">I", data, at + 12)[0]
            cursor = at + 16
            data_offset = 0
            if flags & 0x01:
                data_offset = struct.unpack_from(">i", data, cursor)[0]
                cursor += 4
            if flags & 0x04:
                cursor += 4
            for i in range(count):
                sample_duration, sample_size = default_duration, default_size
                if flags & 0x100:
                    sample_duration = struct.unpack_from(">I", data, cursor)[0]
                    cursor += 4
                if flags & 0x200:
                    sample_size = struct.unpack_from(">I", data, cursor)[0]
                    cursor += 4
                if flags & 0x400:
                    cursor += 4
                if flags & 0x800:
                    cursor += 4
                duration += sample_duration
                if i == 0 and first_end is None:
                    first_end = data_offset + sample_size
    if tfdt_at is None:
        raise Mp4Error("fragment without tfdt")
    return tfdt_at, tfdt_version, decode_time, duration, first_end or 0


def read_fragmented(path: Path) -> FragmentedFile:
    data = path.read_bytes()
    return parse_fragmented(data)


def parse_fragmented(data: bytes | bytearray) -> FragmentedFile:
    top = list(boxes(data))
    moov = next(((at, size) for at, size, kind in top if kind == "moov"), None)
    if moov is None:
        raise Mp4Error("no moov")
    init_length = moov[0] + moov[1]
    timescale = _timescale(data, *moov)
    fragments = []
    for i, (at, size, kind) in enumerate(top):
        if kind != "moof":
            continue
        if i + 1 >= len(top) or top[i + 1][2] != "mdat":
            raise Mp4Error("moof without its mdat")
        mdat_size = top[i + 1][1]
        traf = next(find(data, ["traf"], at + 8, at + size))
        _tfdt, _v, decode_time, duration, first_end = _traf_timing(
            data, traf[0], traf[1], at
        )
        fragments.append(
            Fragment(
                offset=at,
                length=size + mdat_size,
                decode_time=decode_time,
                duration=duration,
                first_sample_end=first_end,
            )
        )
    init = bytes(data[:init_length])
    return FragmentedFile(
        init_length=init_length,
        init_sha256=hashlib.sha256(init).hexdigest(),
        timescale=timescale,
        codec=codec_tag(init),
        fragments=fragments,
    )


def shift_fragments(path: Path, *, seconds: float, first_sequence: int) -> None:
    """Move every fragment of the file `seconds` later and renumber them from
    `first_sequence`, in place (the window's place in the whole video)."""
    data = bytearray(path.read_bytes())
    top = list(boxes(data))
    moov = next(((at, size) for at, size, kind in top if kind == "moov"), None)
    if moov is None:
        raise Mp4Error("no moov")
    timescale = _timescale(data, *moov)
    ticks = round(seconds * timescale)
    sequence = first_sequence
    for at, size, kind in top:
        if kind != "moof":
            continue
        for mfhd_at, _size in find(data, ["mfhd"], at + 8, at + size):
            struct.pack_into(">I", data, mfhd_at + 12, sequence)
        for traf_at, traf_size in find(data, ["traf"], at + 8, at + size):
            tfdt_at, version, decode_time, _d, _f = _traf_timing(
                data, traf_at, traf_size, at
            )
            if version == 1:
                struct.pack_into(">Q", data, tfdt_at + 12, decode_time + ticks)
            else:
                if decode_time + ticks >= 2**32:
                    raise Mp4Error("tfdt v0 overflows")
                struct.pack_into(">I", data, tfdt_at + 12, decode_time + ticks)
        sequence += 1
    path.write_bytes(bytes(data))


def init_signature(init: bytes) -> tuple:
    """What makes two init segments interchangeable for a decoder: the sample entry
    (codec configuration, picture size) and the track's timescale. Creation times,
    durations and the muxer's name may differ without consequence."""
    data = bytearray(init)
    moov = next(((at, size) for at, size, kind in boxes(data) if kind == "moov"), None)
    if moov is None:
        raise Mp4Error("no moov")
    stsd = next(
        find(data, ["trak", "mdia", "minf", "stbl", "stsd"], moov[0] + 8, sum(moov))
    )
    return (_timescale(data, *moov), bytes(data[stsd[0] : stsd[0] + stsd[1]]))
