"""A member's working hours as the simulator's shifts, by routing's own rule (shifts.py): the
spans they are on shift, from their hours per weekday, absences and the pool's public holidays,
in minutes from the trace's start. Generated pools and a pool's exported history both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.contracts.routing_api import Span
from services.routing import shifts
from services.routing.shifts import Absence, Week

# Generated traces start on a Monday at local midnight, in weeks without a clock change; their
# clock is a Dutch one (generated pools are not any organisation's, so this is not a setting).
GENERATED_START = datetime(2026, 1, 5, tzinfo=ZoneInfo("Europe/Amsterdam"))


def week_of(spans_by_weekday: Sequence[Sequence[tuple[int, int]]]) -> list[list[Span]]:
    return [[Span(a, b) for a, b in day] for day in spans_by_weekday]


def worked(
    week: Week,
    start: datetime,
    days: int,
    *,
    absences: Sequence[Absence] = (),
    holidays: frozenset[date] = frozenset(),
) -> list[tuple[float, float]]:
    """Every on-shift span within `days` from `start`, as (start, end) minutes after `start`;
    the hours are on the wall clock of `start`'s time zone."""
    if not isinstance(start.tzinfo, ZoneInfo):
        raise ValueError("worked: `start` must carry its time zone (a ZoneInfo)")
    zone = start.tzinfo
    end = start + timedelta(days=days)
    found: list[tuple[float, float]] = []
    at = start
    while at < end:
        opening = shifts.next_opening(week, at, absences=absences, holidays=holidays, zone=zone)
        if opening is None or opening >= end:
            break
        left, _ = shifts.position(week, opening, absences=absences, holidays=holidays, zone=zone)
        if not left:
            break
        stop = min(opening + timedelta(minutes=left), end)
        found.append((_minutes(opening - start), _minutes(stop - start)))
        at = stop
    return found


def _minutes(delta: timedelta) -> float:
    return round(delta.total_seconds() / 60, 3)


def day_off(day: int, start: datetime = GENERATED_START) -> Absence:
    """An absence for the whole of the trace's day `day` (local time)."""
    begins = (start + timedelta(days=day)).replace(hour=0, minute=0)
    return Absence(starts_at=begins, ends_at=begins + timedelta(days=1))
