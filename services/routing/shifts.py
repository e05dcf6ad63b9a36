"""Working hours, absence and public holidays: is a member on shift at a moment, and when are
they next? Pure (stdlib + msgspec, no I/O, no clock): routing and the simulator agree on it.

Hours are spans of minutes from local midnight, per weekday (Monday first), several a day
allowed; a span ending at 24:00 joins one starting at 0:00 the next day. Local is the wall
clock of `zone`, which every caller passes: the service its setting (the organisation's time
zone), the simulator the time zone of its trace.
"""

import functools
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Final, Literal
from zoneinfo import ZoneInfo

import msgspec

from services.contracts.routing_api import Span

DAY_MINUTES = 24 * 60
# How far ahead next_opening looks: two weeks covers any holiday season a pool plans for.
HORIZON_DAYS = 21

# Why a member is not on shift: codes that also read well counted ("3 off shift").
ShiftState = Literal["on shift", "off shift", "absent", "public holiday", "no working hours"]
ON_SHIFT: Final = "on shift"
OFF_SHIFT: Final = "off shift"
ABSENT: Final = "absent"
PUBLIC_HOLIDAY: Final = "public holiday"
NO_HOURS: Final = "no working hours"


class Absence(msgspec.Struct, frozen=True):
    """A period away (holiday, sick, course): no reason is kept."""

    starts_at: datetime
    ends_at: datetime


# Seven days, Monday first, each a list of spans.
Week = Sequence[Sequence[Span]]
NO_WEEK: tuple[tuple[Span, ...], ...] = ((),) * 7
ALWAYS: tuple[tuple[Span, ...], ...] = ((Span(0, DAY_MINUTES),),) * 7


def problems(week: Week) -> str | None:
    """What is wrong with a week of hours (a sentence naming the day), or None."""
    if len(week) != 7:
        return "hours: give seven days, Monday first"
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    for name, spans in zip(names, week, strict=True):
        ordered = sorted(spans, key=lambda s: s.start)
        for s in ordered:
            if not s.start < s.end:
                return f"hours: on {name} a span must end after it starts"
        for a, b in pairwise(ordered):
            if b.start < a.end:
                return f"hours: on {name} two spans overlap"
    return None


def _local(day: date, minute: int, zone: ZoneInfo) -> datetime:
    return (
        datetime.combine(day + timedelta(days=minute // DAY_MINUTES), time(0), tzinfo=zone)
        .replace(hour=(minute % DAY_MINUTES) // 60, minute=minute % 60)
        .astimezone(UTC)
    )


def _worked(
    week: Week, start: datetime, holidays: frozenset[date], zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    """The member's hours from the local day of `start` on, holidays left out, touching spans
    joined, in time order (UTC)."""
    first = start.astimezone(zone).date() - timedelta(days=1)  # a span from yesterday may reach into today
    return iter(_worked_from(tuple(tuple(spans) for spans in week), first, holidays, zone))


# Pure in its arguments, and a decision asks it twice per member with the same ones: the
# 22 days of time-zone arithmetic were most of routing's CPU per request.
@functools.lru_cache(maxsize=1024)
def _worked_from(
    week: tuple[tuple[Span, ...], ...], first: date, holidays: frozenset[date], zone: ZoneInfo
) -> tuple[tuple[datetime, datetime], ...]:
    found: list[tuple[datetime, datetime]] = []
    pending: tuple[datetime, datetime] | None = None
    for offset in range(HORIZON_DAYS + 1):
        day = first + timedelta(days=offset)
        if day in holidays:
            continue
        for span in sorted(week[day.weekday()], key=lambda s: s.start):
            begin, end = _local(day, span.start, zone), _local(day, span.end, zone)
            if pending is not None and begin <= pending[1]:
                pending = (pending[0], max(end, pending[1]))
                continue
            if pending is not None:
                found.append(pending)
            pending = (begin, end)
    if pending is not None:
        found.append(pending)
    return tuple(found)


def _present(
    spans: Iterator[tuple[datetime, datetime]], absences: Sequence[Absence]
) -> Iterator[tuple[datetime, datetime]]:
    """The spans with every absence cut out."""
    cuts = sorted((a.starts_at.astimezone(UTC), a.ends_at.astimezone(UTC)) for a in absences)
    for begin, end in spans:
        for cut_start, cut_end in cuts:
            if cut_end <= begin or cut_start >= end:
                continue
            if cut_start > begin:
                yield begin, cut_start
            begin = max(begin, cut_end)
            if begin >= end:
                break
        if begin < end:
            yield begin, end


def state(
    week: Week,
    at: datetime,
    *,
    absences: Sequence[Absence] = (),
    holidays: frozenset[date] = frozenset(),
    zone: ZoneInfo,
) -> ShiftState:
    """Whether the member works at `at`, or why not (absence first: it is the most telling)."""
    at = at.astimezone(UTC)
    if any(a.starts_at <= at < a.ends_at for a in absences):
        return ABSENT
    if not any(week[d] for d in range(len(week))):
        return NO_HOURS
    if at.astimezone(zone).date() in holidays:
        return PUBLIC_HOLIDAY
    for begin, end in _worked(week, at, holidays, zone):
        if begin > at:
            break
        if at < end:
            return ON_SHIFT
    return OFF_SHIFT


def on_shift(
    week: Week,
    at: datetime,
    *,
    absences: Sequence[Absence] = (),
    holidays: frozenset[date] = frozenset(),
    zone: ZoneInfo,
) -> bool:
    return state(week, at, absences=absences, holidays=holidays, zone=zone) == ON_SHIFT


def next_opening(
    week: Week,
    at: datetime,
    *,
    absences: Sequence[Absence] = (),
    holidays: frozenset[date] = frozenset(),
    zone: ZoneInfo,
) -> datetime | None:
    """The first moment from `at` on when the member is on shift (`at` itself if they are now);
    None if not within the next three weeks."""
    at = at.astimezone(UTC)
    for begin, end in _present(_worked(week, at, holidays, zone), absences):
        if end > at:
            return max(begin, at)
    return None


def position(
    week: Week,
    at: datetime,
    *,
    absences: Sequence[Absence] = (),
    holidays: frozenset[date] = frozenset(),
    zone: ZoneInfo,
) -> tuple[float | None, float]:
    """(minutes left in the current shift, minutes off before the next one), as the decision's
    finish estimate wants them; (None, 0) with no hours at all. Off shift: (0, minutes until
    the next shift)."""
    if not any(week[d] for d in range(len(week))):
        return None, 0.0
    at = at.astimezone(UTC)
    current: tuple[datetime, datetime] | None = None
    for begin, end in _present(_worked(week, at, holidays, zone), absences):
        if end <= at:
            continue
        if current is not None:
            return (current[1] - at).total_seconds() / 60, (begin - current[1]).total_seconds() / 60
        if begin > at:
            return 0.0, (begin - at).total_seconds() / 60
        current = (begin, end)
    if current is not None:
        return (current[1] - at).total_seconds() / 60, float(7 * DAY_MINUTES)
    return 0.0, float(7 * DAY_MINUTES)
