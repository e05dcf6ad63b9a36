"""Routing's SQL about the rota: members' working hours and absences, pools' holiday calendars
and their edits. Returns Structs."""

from datetime import date, datetime
from uuid import UUID

import msgspec

from services.contracts.routing_api import Span
from services.platform.db import Conn, as_records
from services.routing import records
from services.routing.shifts import Absence, Week


def decode_week(value: list[list[list[int]]]) -> list[list[Span]]:
    """A member's `hours` (seven days of [start, end] minutes) as spans."""
    return msgspec.convert(value, list[list[Span]])


async def hours_of(conn: Conn, member_id: str) -> list[list[Span]] | None:
    hours = await conn.fetchval("SELECT hours FROM members WHERE id = $1", member_id)
    return None if hours is None else decode_week(hours)


async def set_hours(conn: Conn, member_id: str, week: Week) -> bool:
    done = await conn.fetchval(
        "UPDATE members SET hours = $2, updated_at = now() WHERE id = $1 RETURNING true",
        member_id,
        [list(day) for day in week],
    )
    return bool(done)


async def absences_of(conn: Conn, member_ids: list[str], *, ending_after: datetime) -> list[records.Absence]:
    rows = await conn.fetch(
        "SELECT id, member_id, starts_at, ends_at, entered_by FROM absences"
        " WHERE member_id = ANY($1) AND ends_at > $2 ORDER BY starts_at",
        member_ids,
        ending_after,
    )
    return as_records(records.Absence, rows)


def as_absence(row: records.Absence) -> Absence:
    return Absence(starts_at=row.starts_at, ends_at=row.ends_at)


async def add_absence(
    conn: Conn, absence_id: UUID, member_id: str, starts_at: datetime, ends_at: datetime, by: str
) -> None:
    await conn.execute(
        "INSERT INTO absences (id, member_id, starts_at, ends_at, entered_by) VALUES ($1, $2, $3, $4, $5)",
        absence_id,
        member_id,
        starts_at,
        ends_at,
        by,
    )


async def remove_absence(conn: Conn, member_id: str, absence_id: UUID) -> bool:
    done = await conn.fetchval(
        "DELETE FROM absences WHERE id = $1 AND member_id = $2 RETURNING true", absence_id, member_id
    )
    return bool(done)


async def calendar_of(conn: Conn, pool_id: str) -> str:
    country = await conn.fetchval("SELECT public_holidays FROM pools WHERE id = $1", pool_id)
    return str(country or "")


async def upsert_pool(conn: Conn, pool_id: str, public_holidays: str, version: int) -> None:
    """Only a newer identity version changes the pool (events may arrive out of order)."""
    await conn.execute(
        """INSERT INTO pools (id, public_holidays, identity_version) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET public_holidays = EXCLUDED.public_holidays,
               identity_version = EXCLUDED.identity_version
           WHERE pools.identity_version < EXCLUDED.identity_version""",
        pool_id,
        public_holidays,
        version,
    )


async def pool_holidays(conn: Conn, pool_id: str) -> records.PoolHolidays:
    """The calendar the pool follows and its own changes to it, in one round trip (every
    routing decision reads both)."""
    row = await conn.fetchrow(
        """SELECT coalesce((SELECT public_holidays FROM pools WHERE id = $1), '') AS country,
                  coalesce((SELECT jsonb_agg(jsonb_build_object('day', day, 'kind', kind, 'name', name) ORDER BY day)
                            FROM holiday_changes WHERE pool_id = $1), '[]') AS changes""",
        pool_id,
    )
    assert row is not None
    return msgspec.convert(dict(row), records.PoolHolidays)  # the changes' days come as ISO text


def rota_columns(pool: str, members: str, ending_after: str) -> str:
    """The columns of `records.PoolRota` as one row's subqueries: the pool's calendar and its
    changes, and the absences of `members` (an SQL condition on member_id) that end after
    `ending_after`; the arguments are the query's placeholders."""
    return f"""coalesce((SELECT public_holidays FROM pools WHERE id = {pool}), '') AS country,
                  coalesce((SELECT jsonb_agg(jsonb_build_object('day', day, 'kind', kind, 'name', name) ORDER BY day)
                            FROM holiday_changes WHERE pool_id = {pool}), '[]') AS changes,
                  coalesce((SELECT jsonb_agg(jsonb_build_object('member_id', member_id, 'starts_at', starts_at,
                                                                'ends_at', ends_at) ORDER BY starts_at)
                            FROM absences WHERE member_id {members} AND ends_at > {ending_after}), '[]') AS absences"""


async def pool_rota(conn: Conn, pool_id: str, member_ids: list[str], *, ending_after: datetime) -> records.PoolRota:
    """The pool's holidays (as `pool_holidays`) and these members' absences that end after
    `ending_after`, in one round trip."""
    row = await conn.fetchrow(f"SELECT {rota_columns('$1', '= ANY($2)', '$3')}", pool_id, member_ids, ending_after)
    assert row is not None
    return msgspec.convert(dict(row), records.PoolRota)  # days and times come as ISO text


async def change_holiday(conn: Conn, pool_id: str, day: date, kind: str, name: str = "") -> None:
    await conn.execute(
        """INSERT INTO holiday_changes (pool_id, day, kind, name) VALUES ($1, $2, $3, $4)
           ON CONFLICT (pool_id, day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name""",
        pool_id,
        day,
        kind,
        name,
    )


async def forget_holiday_change(conn: Conn, pool_id: str, day: date) -> None:
    await conn.execute("DELETE FROM holiday_changes WHERE pool_id = $1 AND day = $2", pool_id, day)
