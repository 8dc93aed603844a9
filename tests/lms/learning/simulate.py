"""Simulated learners: a player that produces the beats a real browser would send."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class Beat:
    session: str
    seq: int
    ranges: list
    position: float
    rate: float
    at: float  # server arrival time, seconds from the start of the test


@dataclass
class Player:
    """Plays media at `rate`, beating every `every` real seconds, as heartbeat.js does."""

    duration: float
    rate: float = 1.0
    every: float = 10.0
    clock: float = 0.0
    position: float = 0.0
    session: str = field(default_factory=lambda: str(uuid.uuid4()))
    seq: int = 0
    beats: list[Beat] = field(default_factory=list)

    def _beat(self, ranges, at=None):
        self.beats.append(
            Beat(
                self.session,
                self.seq,
                ranges,
                self.position,
                self.rate,
                self.clock if at is None else at,
            )
        )
        self.seq += 1

    def start(self):
        self._beat([])  # play: opens the session
        return self

    def play(self, seconds: float):
        """Play for `seconds` of real time (or until the end), beating on the way."""
        remaining = seconds
        while remaining > 1e-9 and self.position < self.duration:
            step = min(
                self.every, remaining, (self.duration - self.position) / self.rate
            )
            start = self.position
            self.position = min(self.duration, self.position + step * self.rate)
            self.clock += step
            remaining -= step
            self._beat([[start, self.position]])
        return self

    def seek(self, to: float):
        self.position = to
        self._beat([])
        return self
