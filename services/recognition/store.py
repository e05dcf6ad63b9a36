"""Recognition's SQL: kudos and their recipients. Only SQL here."""

from typing import Any
from uuid import UUID

import asyncpg

from services.platform.db import Conn


async def insert_kudos(conn: Conn, k: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO kudos (id, giver_id, pool_id, message, value_id, request_id) VALUES ($1,$2,$3,$4,$5,$6)",
        k["id"], k["giver_id"], k["pool_id"], k["message"], k["value_id"], k["request_id"],
    )  # fmt: skip
    await conn.executemany(
        "INSERT INTO kudos_recipients (kudos_id, recipient_id) VALUES ($1, $2)",
        [(k["id"], r) for r in k["recipient_ids"]],
    )


async def wall(conn: Conn, *, limit: int, before: Any = None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT k.*, array_agg(r.recipient_id ORDER BY r.recipient_id) AS recipient_ids
           FROM kudos k JOIN kudos_recipients r ON r.kudos_id = k.id
           WHERE k.hidden_at IS NULL AND ($2::timestamptz IS NULL OR k.created_at < $2)
           GROUP BY k.id ORDER BY k.created_at DESC LIMIT $1""",
        limit,
        before,
    )


async def get_kudos(conn: Conn, kudos_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM kudos WHERE id = $1", kudos_id)
