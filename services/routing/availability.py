"""Who is on shift: each member's shift state for a decision, from their working hours,
absences and the pool's public holidays (a country's calendar, e.g. the Dutch one from the
`holidays` package, plus the pool's own edits)."""

import functools
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
import msgspec

from services.contracts.routing_api import Holiday, Span
from services.platform.db import Conn
from services.routing import shifts, store_rota
from services.routing.records import PoolHolidays, PoolRota
from services.routing.shifts import Absence, ShiftState

CALENDARS = ("NL",)  # countries whose public holidays a pool may follow ('' = none)


class Availability(msgspec.Struct, frozen=True, kw_only=True):
    state: ShiftState
    shift_left_minutes: float | None
    off_shift_minutes: float


def calendar(country: str, years: Sequence[int]) -> Mapping[date, tuple[str, str]]:
    """The country's public holidays in these years: day → (Dutch name, English name)."""
    return _calendar(country, tuple(years))


# A country's calendar never changes, and working it out takes milliseconds (the holidays
# library builds it rule by rule, per language): every routing decision needs it.
@functools.lru_cache(maxsize=64)
def _calendar(country: str, years: tuple[int, ...]) -> Mapping[date, tuple[str, str]]:
    if country not in CALENDARS:
        return MappingProxyType({})
    nl = holidays.country_holidays(country, years=list(years), language="nl")
    en = holidays.country_holidays(country, years=list(years), language="en_US")
    return MappingProxyType({day: (str(name), str(en.get(day, name))) for day, name in nl.items()})


async def holidays_of(conn: Conn, pool_id: str, years: Sequence[int]) -> list[Holiday]:
    """The pool's public holidays in these years, with the calendar days it took off."""
    return holidays_from(await store_rota.pool_holidays(conn, pool_id), years)


def holidays_from(pool: PoolHolidays, years: Sequence[int]) -> list[Holiday]:
    days = calendar(pool.country, years)
    found = {d: Holiday(day=d, name_nl=nl, name_en=en, source="calendar") for d, (nl, en) in days.items()}
    for change in pool.changes:
        if change.day.year not in years:
            continue
        if change.kind == "added":
            found[change.day] = Holiday(day=change.day, name_nl=change.name, name_en=change.name, source="added")
        elif change.day in found:
            found[change.day] = msgspec.structs.replace(found[change.day], removed=True)
    return sorted(found.values(), key=lambda h: h.day)


def days_off(holidays: Sequence[Holiday]) -> frozenset[date]:
    return frozenset(h.day for h in holidays if not h.removed)


async def holiday_days(conn: Conn, pool_id: str, years: Sequence[int]) -> frozenset[date]:
    return days_off(await holidays_of(conn, pool_id, years))


async def availability(
    conn: Conn, pool_id: str, weeks: dict[str, list[list[Span]]], at: datetime, zone: ZoneInfo
) -> dict[str, Availability]:
    """Each member's shift state at `at`, and the shift position the finish estimate needs;
    working hours are on the wall clock of `zone`, the organisation's time zone."""
    return availability_in(await store_rota.pool_rota(conn, pool_id, list(weeks), ending_after=at), weeks, at, zone)


def availability_in(
    rota: PoolRota, weeks: dict[str, list[list[Span]]], at: datetime, zone: ZoneInfo
) -> dict[str, Availability]:
    """`availability` with the rota read already (a routing decision reads it with the rest)."""
    local_year = at.astimezone(zone).year
    days = days_off(holidays_from(rota, [local_year, local_year + 1]))
    away: dict[str, list[Absence]] = {}
    for row in rota.absences:
        away.setdefault(row.member_id, []).append(Absence(starts_at=row.starts_at, ends_at=row.ends_at))
    found = {}
    for member_id, week in weeks.items():
        absences = away.get(member_id, [])
        state = shifts.state(week, at, absences=absences, holidays=days, zone=zone)
        left, gap = shifts.position(week, at, absences=absences, holidays=days, zone=zone)
        found[member_id] = Availability(state=state, shift_left_minutes=left, off_shift_minutes=gap)
    return found
