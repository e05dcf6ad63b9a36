"""Intake's SQL for requests and their timeline. (Types: store_catalogue; conversation:
store_conversation; service levels: store_sla; queue and insights: store_insights.)"""

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from services.contracts.base import Event
from services.intake import records
from services.platform import outbox
from services.platform.db import Conn, as_record, as_records

REQUEST_COLUMNS = """
    r.id, r.pool_id, r.requester_id, r.on_behalf_of, r.type_id, r.description, r.urgency,
    r.wished_for, r.language, r.status, r.member_id, r.buddy_id, r.helper_ids, r.version,
    r.routing_version, r.submitted_at, r.pickup_due_at, r.done_due_at, r.picked_up_at, r.done_at,
    r.cancelled_at, r.waiting_since, r.rating, r.rating_comment, r.rated_at, r.minutes_saved,
    r.pickup_risk_at, r.done_risk_at, r.pickup_breach_at, r.done_breach_at,
    r.expected_basis, r.expected_from, r.expected_to, r.expected_reason,
    t.name_nl AS type_name_nl, t.name_en AS type_name_en, t.skill, t.min_level,
    t.minutes_saved AS type_minutes_saved, t.work_minutes
"""
FROM_REQUESTS = "FROM requests r JOIN request_types t ON t.id = r.type_id"

# Columns a lifecycle change may set (see `change`); everything else is fixed at submission.
CHANGEABLE = frozenset(
    {
        "status",
        "member_id",
        "buddy_id",
        "helper_ids",
        "routing_version",
        "expected_basis",
        "expected_from",
        "expected_to",
        "expected_reason",
        "expected_version",
        "picked_up_at",
        "done_at",
        "cancelled_at",
        "waiting_since",
        "done_due_at",
        "minutes_saved",
        "rating",
        "rating_comment",
        "rated_at",
        "pickup_breach_at",
        "done_breach_at",
        "description",
        "urgency",
        "wished_for",
        "pickup_due_at",
    }
)


async def insert_request(conn: Conn, r: records.NewRequest, submitted: Event) -> records.Request | None:
    """Insert a new request with its first timeline entry (submitted, by its requester) and the
    event `submitted` in the outbox, and return it as stored; None, and nothing written, when
    this requester already used the idempotency key."""
    row = await conn.fetchrow(
        f"""WITH r AS (
               INSERT INTO requests (id, pool_id, requester_id, on_behalf_of, type_id, idempotency_key,
                   description, urgency, wished_for, language, status, submitted_at, pickup_due_at,
                   done_due_at)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'submitted',$11,$12,$13)
               ON CONFLICT (requester_id, idempotency_key) DO NOTHING RETURNING *
           ), first_entry AS (
               INSERT INTO timeline (request_id, actor_id, kind, status, detail, at)
               SELECT id, requester_id, 'submitted', 'submitted', '', submitted_at FROM r
           ), announced AS ({outbox.INSERT_INTO} SELECT $14, $15, $16 FROM r)
           SELECT {REQUEST_COLUMNS} FROM r JOIN request_types t ON t.id = r.type_id""",
        r.id,
        r.pool_id,
        r.requester_id,
        r.on_behalf_of,
        r.type_id,
        r.idempotency_key,
        r.description,
        r.urgency,
        r.wished_for,
        r.language,
        r.submitted_at,
        r.pickup_due_at,
        r.done_due_at,
        *outbox.row(submitted),
    )
    return None if row is None else as_record(records.Request, row)


async def set_expected_pickup(
    conn: Conn,
    request_id: UUID,
    *,
    version: int,
    basis: str,
    earliest: datetime | None,
    latest: datetime | None,
    reason: str,
) -> bool:
    """Routing's announced pick-up, unless a newer one was applied already (returns whether applied)."""
    applied = await conn.fetchval(
        """UPDATE requests SET expected_basis = $3, expected_from = $4, expected_to = $5, expected_reason = $6,
               expected_version = $2
           WHERE id = $1 AND expected_version < $2 RETURNING true""",
        request_id,
        version,
        basis,
        earliest,
        latest,
        reason,
    )
    return bool(applied)


async def request_by_key(conn: Conn, requester_id: str, key: str) -> records.Request | None:
    row = await conn.fetchrow(
        f"SELECT {REQUEST_COLUMNS} {FROM_REQUESTS} WHERE r.requester_id = $1 AND r.idempotency_key = $2",
        requester_id,
        key,
    )
    return None if row is None else as_record(records.Request, row)


async def get_request(conn: Conn, request_id: UUID, *, for_update: bool = False) -> records.Request | None:
    lock = " FOR UPDATE OF r" if for_update else ""
    row = await conn.fetchrow(f"SELECT {REQUEST_COLUMNS} {FROM_REQUESTS} WHERE r.id = $1{lock}", request_id)
    return None if row is None else as_record(records.Request, row)


async def requests_by_ids(conn: Conn, ids: list[UUID]) -> list[records.Request]:
    """The requests with these ids (unknown ids are left out), oldest first."""
    rows = await conn.fetch(
        f"SELECT {REQUEST_COLUMNS} {FROM_REQUESTS} WHERE r.id = ANY($1::uuid[]) ORDER BY r.submitted_at", ids
    )
    return as_records(records.Request, rows)


async def requests_of(conn: Conn, account_id: str, limit: int = 50) -> list[records.Request]:
    """Requests this person submitted or that were submitted on their behalf, newest first."""
    rows = await conn.fetch(
        f"SELECT {REQUEST_COLUMNS} {FROM_REQUESTS}"
        " WHERE r.requester_id = $1 OR r.on_behalf_of = $1 ORDER BY r.submitted_at DESC LIMIT $2",
        account_id,
        limit,
    )
    return as_records(records.Request, rows)


async def requests_worked_by(conn: Conn, account_id: str, statuses: list[str], limit: int) -> list[records.Request]:
    """Requests this member is on (as member or buddy, or helped with), newest first."""
    rows = await conn.fetch(
        f"SELECT {REQUEST_COLUMNS} {FROM_REQUESTS}"
        " WHERE (r.member_id = $1 OR r.buddy_id = $1 OR $1 = ANY(r.helper_ids)) AND r.status = ANY($2)"
        " ORDER BY r.submitted_at DESC LIMIT $3",
        account_id,
        statuses,
        limit,
    )
    return as_records(records.Request, rows)


async def pool_requests(conn: Conn, pool_id: str, statuses: list[str], limit: int) -> list[records.Request]:
    rows = await conn.fetch(
        f"SELECT {REQUEST_COLUMNS} {FROM_REQUESTS} WHERE r.pool_id = $1 AND r.status = ANY($2)"
        " ORDER BY r.submitted_at DESC LIMIT $3",
        pool_id,
        statuses,
        limit,
    )
    return as_records(records.Request, rows)


async def _change(
    conn: Conn, request_id: UUID, entry: records.Entry, fields: dict[str, Any], announced: tuple[int, Event] | None
) -> int | None:
    """The one statement of a change: $1 the request, $2–$5 its timeline entry, then the columns
    set; `announced` (the version it was read at, its event) adds a guard and the outbox row."""
    unknown = set(fields) - CHANGEABLE
    assert not unknown, f"not changeable: {unknown}"
    sets = "".join(f", {name} = ${i}" for i, name in enumerate(fields, start=6))
    after = 6 + len(fields)
    guard, event, extra = "", "", []
    if announced is not None:
        read_at, message = announced
        guard = f" AND version = ${after}"
        event = f", announced AS ({outbox.INSERT_INTO} SELECT ${after + 1}, ${after + 2}, ${after + 3} FROM changed)"
        extra = [read_at, *outbox.row(message)]
    version: int | None = await conn.fetchval(
        f"""WITH changed AS (
                UPDATE requests SET version = version + 1{sets} WHERE id = $1{guard} RETURNING version
            ), entry AS (
                INSERT INTO timeline (request_id, actor_id, kind, status, detail, at)
                SELECT $1, $2, $3, $4, $5, now() FROM changed
            ){event}
            SELECT version FROM changed""",
        request_id,
        entry.actor_id,
        entry.kind,
        entry.status,
        entry.detail,
        *fields.values(),
        *extra,
    )
    return version


async def change(conn: Conn, request_id: UUID, entry: records.Entry, **fields: Any) -> int:
    """Set the given columns, bump the request's version and add `entry` to its timeline, in one
    statement; returns the new version. Call with the row locked (get_request(..., for_update=True))."""
    return cast(int, await _change(conn, request_id, entry, fields, None))  # a locked row is there


async def change_announced(
    conn: Conn, request_id: UUID, entry: records.Entry, event: Event, *, read_at: int, **fields: Any
) -> int | None:
    """`change`, with `event` (which names version `read_at + 1`) written to the outbox in the
    same statement. Only if the request is still at version `read_at`: None, and nothing
    written, when it changed since (a second change in one transaction on the row read once)."""
    return await _change(conn, request_id, entry, fields, (read_at, event))


async def add_timeline(
    conn: Conn,
    request_id: UUID,
    *,
    kind: str,
    actor_id: str | None,
    status: str | None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO timeline (request_id, actor_id, kind, status, detail, at)"
        " VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))",
        request_id,
        actor_id,
        kind,
        status,
        detail,
        at,
    )


async def timeline_of(conn: Conn, request_id: UUID) -> list[records.TimelineEntry]:
    rows = await conn.fetch(
        "SELECT at, actor_id, kind, status, detail FROM timeline WHERE request_id = $1 ORDER BY id",
        request_id,
    )
    return as_records(records.TimelineEntry, rows)
