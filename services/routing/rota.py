"""Routing's service layer for the rota: who may set a member's hours and absences, and the
pool's edits to its public holidays. A change that may put someone on shift drains the queue."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from services.contracts.routing_api import Span
from services.platform.db import Conn
from services.platform.errors import Forbidden, Invalid, NotFound
from services.platform.tokens import Caller
from services.routing import assignment, availability, shifts, store_members, store_rota


async def member_for(conn: Conn, caller: Caller, member_id: str) -> str:
    """The member's pool, if the caller may arrange their rota: the member, their pool's lead, an admin."""
    row = await store_members.member(conn, member_id)
    if row is None:
        raise NotFound("no such member")
    pool_id: str = row.pool_id
    if caller.account_id == member_id or caller.has("admin") or (caller.has("lead") and caller.in_pool(pool_id)):
        return pool_id
    raise Forbidden("only the member, their pool's lead or an admin arranges this")


def may_arrange_pool(caller: Caller, pool_id: str) -> None:
    if not (caller.has("admin") or (caller.has("lead") and caller.in_pool(pool_id))):
        raise Forbidden("only the pool's lead or an admin changes its public holidays")


async def set_hours(
    conn: Conn, caller: Caller, member_id: str, week: Sequence[Sequence[Span]], *, zone: ZoneInfo
) -> None:
    pool_id = await member_for(conn, caller, member_id)
    if (problem := shifts.problems(week)) is not None:
        raise Invalid(problem)
    await store_rota.set_hours(conn, member_id, week)
    await assignment.drain_queue(conn, pool_id, zone=zone)  # someone may be on shift now


async def add_absence(conn: Conn, caller: Caller, member_id: str, starts_at: datetime, ends_at: datetime) -> UUID:
    await member_for(conn, caller, member_id)
    if ends_at <= starts_at:
        raise Invalid("ends_at: an absence ends after it starts")
    absence_id = uuid4()
    await store_rota.add_absence(conn, absence_id, member_id, starts_at, ends_at, caller.account_id)
    return absence_id


async def remove_absence(conn: Conn, caller: Caller, member_id: str, absence_id: UUID, *, zone: ZoneInfo) -> None:
    pool_id = await member_for(conn, caller, member_id)
    if not await store_rota.remove_absence(conn, member_id, absence_id):
        raise NotFound("no such absence")
    await assignment.drain_queue(conn, pool_id, zone=zone)


async def add_holiday(conn: Conn, caller: Caller, pool_id: str, day: date, name: str) -> None:
    may_arrange_pool(caller, pool_id)
    if day in availability.calendar(await store_rota.calendar_of(conn, pool_id), [day.year]):
        await store_rota.forget_holiday_change(conn, pool_id, day)  # back to the calendar's own day
    else:
        await store_rota.change_holiday(conn, pool_id, day, "added", name.strip() or day.isoformat())


async def remove_holiday(conn: Conn, caller: Caller, pool_id: str, day: date, *, zone: ZoneInfo) -> None:
    may_arrange_pool(caller, pool_id)
    if day in availability.calendar(await store_rota.calendar_of(conn, pool_id), [day.year]):
        await store_rota.change_holiday(conn, pool_id, day, "removed")
    else:
        await store_rota.forget_holiday_change(conn, pool_id, day)
    await assignment.drain_queue(conn, pool_id, zone=zone)
