"""A pool's own history as a trace: its members as they are now (skills, languages, capacity,
working hours, absences, the pool's holidays) and the requests of its last weeks as they came
in. Pure: routing reads the rows, this turns them into what the simulator replays.

What the history cannot tell is taken from what routing knew: a request's work is its type's
estimate, and members work at their current levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import msgspec

from services.contracts.routing_api import Span
from services.routing.decision import Urgency
from services.routing.shifts import Absence
from services.simulation import hours
from services.simulation.trace import Trace, TraceMember, TraceRequest

COOL_DOWN_DAYS = 7  # members keep working after the last request came in, so the work gets done


class PastMember(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    skills: dict[str, int]
    learning: list[str]
    languages: list[str]
    capacity: int
    week: list[list[Span]]
    absences: list[Absence] = []


class PastRequest(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    submitted_at: datetime
    requester: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    done_due_at: datetime
    work_minutes: float


def _minutes(at: datetime, start: datetime) -> float:
    return round((at - start).total_seconds() / 60, 1)


def trace_of(
    start: datetime,
    days: int,
    members: Sequence[PastMember],
    requests: Sequence[PastRequest],
    holidays: frozenset[date] = frozenset(),
) -> Trace:
    """The trace from `start` on: requests that came in within `days`, shifts by routing's rule."""
    pool = [
        TraceMember(
            id=m.id,
            skills=dict(m.skills),
            learning=list(m.learning),
            languages=list(m.languages),
            capacity=m.capacity,
            shifts=hours.worked(m.week, start, days + COOL_DOWN_DAYS, absences=m.absences, holidays=holidays),
        )
        for m in members
    ]
    came = [
        TraceRequest(
            id=r.id,
            arrival=_minutes(r.submitted_at, start),
            requester=r.requester,
            skill=r.skill,
            min_level=r.min_level,
            language=r.language,
            urgency=r.urgency,
            due=max(_minutes(r.done_due_at, start), _minutes(r.submitted_at, start)),
            base_minutes=r.work_minutes,
            estimate_minutes=r.work_minutes,
        )
        for r in sorted(requests, key=lambda r: r.submitted_at)
        if 0 <= _minutes(r.submitted_at, start) < days * 1440
    ]
    meta: dict[str, float | int | str] = {"start": start.isoformat(), "days": days, "members": len(pool)}
    return Trace(pool, came, meta)
