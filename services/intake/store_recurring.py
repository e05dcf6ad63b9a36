"""Intake's SQL for recurring requests (standing orders)."""

from datetime import date
from uuid import UUID

from services.intake.records import Schedule
from services.platform.db import Conn, as_record, as_records

COLUMNS = """s.id, s.requester_id, s.on_behalf_of, s.pool_id, s.type_id, s.description, s.urgency, s.language,
    s.rule, s.weekday, s.state, s.next_on, s.last_on, s.created_at, t.name_nl AS type_name_nl,
    t.name_en AS type_name_en"""
FROM = "FROM recurring_requests s JOIN request_types t ON t.id = s.type_id"


async def insert(conn: Conn, s: Schedule) -> None:
    await conn.execute(
        """INSERT INTO recurring_requests (id, requester_id, on_behalf_of, pool_id, type_id, description, urgency,
               language, rule, weekday, state, next_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
        s.id,
        s.requester_id,
        s.on_behalf_of,
        s.pool_id,
        s.type_id,
        s.description,
        s.urgency,
        s.language,
        s.rule,
        s.weekday,
        s.state,
        s.next_on,
    )


async def get(conn: Conn, schedule_id: UUID, *, for_update: bool = False) -> Schedule | None:
    lock = " FOR UPDATE OF s" if for_update else ""
    row = await conn.fetchrow(f"SELECT {COLUMNS} {FROM} WHERE s.id = $1{lock}", schedule_id)
    return None if row is None else as_record(Schedule, row)


async def of_requester(conn: Conn, account_id: str) -> list[Schedule]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} {FROM} WHERE s.requester_id = $1 AND s.state <> 'stopped' ORDER BY s.created_at",
        account_id,
    )
    return as_records(Schedule, rows)


async def claim_due(conn: Conn, today: date, limit: int) -> list[Schedule]:
    """Active schedules due on or before `today`, locked (another replica skips them)."""
    rows = await conn.fetch(
        f"""SELECT {COLUMNS} {FROM} WHERE s.state = 'active' AND s.next_on <= $1
            ORDER BY s.next_on LIMIT $2 FOR UPDATE OF s SKIP LOCKED""",
        today,
        limit,
    )
    return as_records(Schedule, rows)


async def update(conn: Conn, schedule_id: UUID, *, state: str, next_on: date, last_on: date | None) -> None:
    await conn.execute(
        "UPDATE recurring_requests SET state = $2, next_on = $3, last_on = $4, updated_at = now() WHERE id = $1",
        schedule_id,
        state,
        next_on,
        last_on,
    )
