"""Intake's SQL: request types, requests and their timeline. The only module with SQL here."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.platform.db import Conn

REQUEST_COLUMNS = """
    r.id, r.pool_id, r.requester_id, r.on_behalf_of, r.type_id, r.description, r.urgency,
    r.wished_for, r.language, r.status, r.member_id, r.buddy_id, r.version, r.routing_version,
    r.submitted_at, r.pickup_due_at, r.done_due_at, r.picked_up_at, r.done_at, r.cancelled_at,
    r.rating, r.rating_comment, t.name_nl AS type_name_nl, t.name_en AS type_name_en,
    t.skill, t.min_level, t.minutes_saved, t.work_minutes
"""


async def get_type(conn: Conn, type_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM request_types WHERE id = $1", type_id)


async def list_types(conn: Conn, pool_ids: list[str] | None, *, include_retired: bool = False) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM request_types WHERE ($1::text[] IS NULL OR pool_id = ANY($1))"
        " AND ($2 OR retired_at IS NULL) ORDER BY name_en",
        pool_ids,
        include_retired,
    )


async def upsert_type(conn: Conn, t: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO request_types (id, pool_id, name_nl, name_en, description_nl, description_en,
               skill, min_level, extra_skills, language, pickup_minutes, complete_minutes,
               minutes_saved, work_minutes)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
           ON CONFLICT (id) DO UPDATE SET pool_id = EXCLUDED.pool_id, name_nl = EXCLUDED.name_nl,
               name_en = EXCLUDED.name_en, description_nl = EXCLUDED.description_nl,
               description_en = EXCLUDED.description_en, skill = EXCLUDED.skill,
               min_level = EXCLUDED.min_level, extra_skills = EXCLUDED.extra_skills,
               language = EXCLUDED.language, pickup_minutes = EXCLUDED.pickup_minutes,
               complete_minutes = EXCLUDED.complete_minutes, minutes_saved = EXCLUDED.minutes_saved,
               work_minutes = EXCLUDED.work_minutes, updated_at = now()""",
        t["id"], t["pool_id"], t["name_nl"], t["name_en"], t.get("description_nl", ""),
        t.get("description_en", ""), t["skill"], t["min_level"], t.get("extra_skills", []),
        t.get("language", "any"), t["pickup_minutes"], t["complete_minutes"],
        t.get("minutes_saved", 0), t.get("work_minutes", 30),
    )  # fmt: skip


async def count_types(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM request_types"))


async def insert_request(conn: Conn, r: dict[str, Any]) -> bool:
    """Insert a new request; False when this requester already used the idempotency key."""
    inserted = await conn.fetchval(
        """INSERT INTO requests (id, pool_id, requester_id, on_behalf_of, type_id, idempotency_key,
               description, urgency, wished_for, language, status, submitted_at, pickup_due_at,
               done_due_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'submitted',$11,$12,$13)
           ON CONFLICT (requester_id, idempotency_key) DO NOTHING RETURNING true""",
        r["id"], r["pool_id"], r["requester_id"], r["on_behalf_of"], r["type_id"],
        r["idempotency_key"], r["description"], r["urgency"], r["wished_for"], r["language"],
        r["submitted_at"], r["pickup_due_at"], r["done_due_at"],
    )  # fmt: skip
    return bool(inserted)


async def request_by_key(conn: Conn, requester_id: str, key: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {REQUEST_COLUMNS} FROM requests r JOIN request_types t ON t.id = r.type_id"
        " WHERE r.requester_id = $1 AND r.idempotency_key = $2",
        requester_id,
        key,
    )


async def get_request(conn: Conn, request_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF r" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {REQUEST_COLUMNS} FROM requests r JOIN request_types t ON t.id = r.type_id WHERE r.id = $1{lock}",
        request_id,
    )


async def requests_of(conn: Conn, account_id: str, limit: int = 50) -> list[asyncpg.Record]:
    """Requests this person submitted or that were submitted on their behalf, newest first."""
    return await conn.fetch(
        f"SELECT {REQUEST_COLUMNS} FROM requests r JOIN request_types t ON t.id = r.type_id"
        " WHERE r.requester_id = $1 OR r.on_behalf_of = $1 ORDER BY r.submitted_at DESC LIMIT $2",
        account_id,
        limit,
    )


async def set_status(
    conn: Conn,
    request_id: UUID,
    *,
    status: str,
    member_id: str | None,
    buddy_id: str | None = None,
    routing_version: int | None = None,
    stamp: str | None = None,
) -> int:
    """Change status (and who is on it); returns the new version."""
    assert stamp in (None, "picked_up_at", "done_at", "cancelled_at"), stamp
    stamp_sql = f", {stamp} = coalesce({stamp}, now())" if stamp else ""
    version: int = await conn.fetchval(
        f"""UPDATE requests SET status = $2, member_id = $3, buddy_id = $4, version = version + 1,
               routing_version = coalesce($5, routing_version){stamp_sql}
           WHERE id = $1 RETURNING version""",
        request_id,
        status,
        member_id,
        buddy_id,
        routing_version,
    )
    return version


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


async def timeline_of(conn: Conn, request_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT at, actor_id, kind, status, detail FROM timeline WHERE request_id = $1 ORDER BY id",
        request_id,
    )
