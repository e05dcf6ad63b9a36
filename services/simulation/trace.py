"""A simulation trace: the pool's members and the stream of requests they get, in minutes from
the trace's start (day 0 is a Monday, 00:00 local time), saved to and loaded from JSON.

Traces come from the family generator (generate.py) or from a pool's own history (routing
exports one from its database to try a policy before adopting it).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from services.routing.decision import Urgency

DAY = 1440
WEEK = 7 * DAY


class TraceMember(msgspec.Struct, frozen=True):
    id: str
    skills: dict[str, int]
    learning: list[str]
    languages: list[str]
    capacity: int
    shifts: list[tuple[float, float]]  # when this member works: [start, end) minutes


class TraceRequest(msgspec.Struct, frozen=True):
    id: str
    arrival: float
    requester: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    due: float
    base_minutes: float  # the actual work time at level 4
    # What routing knows beforehand: the request type's work estimate (None: the actual time).
    estimate_minutes: float | None = None

    @property
    def expected_minutes(self) -> float:
        return self.base_minutes if self.estimate_minutes is None else self.estimate_minutes


class Trace(msgspec.Struct, frozen=True):
    members: list[TraceMember]
    requests: list[TraceRequest]
    meta: dict[str, float | int | str] = {}


def load(path: Path) -> Trace:
    return msgspec.json.decode(path.read_bytes(), type=Trace)


def save(trace: Trace, path: Path) -> None:
    path.write_bytes(msgspec.json.format(msgspec.json.encode(trace), indent=1))
