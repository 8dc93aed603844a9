"""The arithmetic of true progress (README, "Online learning"), free of the database.

- Coverage: the union of the media ranges the player reports as played, clipped to the
  lesson's duration. Seeking plays nothing, so it covers nothing.
- Credited time: each beat claims the real time it played (media seconds / rate). A
  playback session credits at most the server time between its first and latest beat
  plus a small tolerance; all sessions of a lesson together credit at most the union of
  their windows, so two tabs playing at once count the time once.

Every quantity is a function of the *set* of beats received and the server times at which
they arrived, so duplicates (dropped by the caller) and reordering change nothing, and
nothing ever goes down.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

Range = tuple[float, float]


def clip_ranges(raw: list, *, duration: float) -> list[Range]:
    """Valid, clipped (start, end) pairs of a beat; anything malformed is dropped."""
    clipped = []
    for pair in raw:
        try:
            start, end = float(pair[0]), float(pair[1])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0.0, start), min(duration, end)
        if end > start:
            clipped.append((start, end))
    return clipped


def ranges_add(ranges: list[Range], new: Range) -> list[Range]:
    """The union of sorted disjoint `ranges` and `new`, sorted and disjoint."""
    start, end = new
    i = bisect_left(ranges, (start, start))
    # The range before may overlap or touch the new one.
    if i > 0 and ranges[i - 1][1] >= start:
        i -= 1
    j = i
    while j < len(ranges) and ranges[j][0] <= end:
        start, end = min(start, ranges[j][0]), max(end, ranges[j][1])
        j += 1
    return ranges[:i] + [(start, end)] + ranges[j:]


def ranges_length(ranges: list[Range]) -> float:
    return sum(end - start for start, end in ranges)


def beat_claim(ranges: list[Range], *, rate: float) -> float:
    """Real seconds a beat says it played: media seconds divided by the playback rate."""
    return ranges_length(ranges) / max(rate, 0.25)


@dataclass
class SessionWindow:
    first: float  # server time of the session's first beat (seconds)
    last: float  # server time of its latest beat
    claimed: float = 0.0
    seq: int = -1  # the highest sequence number seen; its beat gives the position

    def add(self, *, at: float, claim: float) -> None:
        self.first = min(self.first, at)
        self.last = max(self.last, at)
        self.claimed += claim


def credited_seconds(windows: list[SessionWindow], *, tolerance: float) -> float:
    """Credited time of a lesson from its sessions' windows (see the module docstring)."""
    per_session = sum(min(w.claimed, w.last - w.first + tolerance) for w in windows)
    spans = sorted((w.first, w.last + tolerance) for w in windows)
    union, current_start, current_end = 0.0, None, None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_end is not None:
                union += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        union += current_end - current_start
    return min(per_session, union)


@dataclass
class LessonTally:
    """The whole progress state of one learner in one lesson."""

    duration: float
    ranges: list[Range] = field(default_factory=list)
    windows: dict[str, SessionWindow] = field(default_factory=dict)
    position: float = 0.0

    def add_beat(
        self,
        *,
        session: str,
        seq: int,
        ranges: list,
        rate: float,
        at: float,
        position: float,
    ) -> None:
        """Fold one (already de-duplicated) beat received at server time `at`."""
        played = clip_ranges(ranges, duration=self.duration)
        for played_range in played:
            self.ranges = ranges_add(self.ranges, played_range)
        window = self.windows.setdefault(session, SessionWindow(first=at, last=at))
        window.add(at=at, claim=beat_claim(played, rate=rate))
        if seq > window.seq:
            window.seq = seq
            self.position = min(max(0.0, position), self.duration)

    @property
    def watched(self) -> float:
        return ranges_length(self.ranges)

    def credited(self, *, tolerance: float) -> float:
        return min(
            credited_seconds(list(self.windows.values()), tolerance=tolerance),
            # More time than the media lasts earns nothing more.
            self.duration,
        )


def lesson_fraction(
    *,
    watched: float,
    credited: float,
    duration: float,
    coverage_percent: int,
    time_percent: int,
) -> tuple[float, bool]:
    """Progress of a lesson in 0..1 (both conditions scaled to their thresholds) and
    whether it meets the completion rule."""
    if duration <= 0:
        return 0.0, False
    coverage = watched / duration
    time = credited / duration
    complete = (
        coverage * 100 >= coverage_percent - 1e-9 and time * 100 >= time_percent - 1e-9
    )
    fraction = min(coverage * 100 / coverage_percent, time * 100 / time_percent, 1.0)
    return (1.0 if complete else min(fraction, 0.999)), complete
