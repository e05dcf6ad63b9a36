"""Intake's SQL for a request's conversation: comments, questions and answers."""

from uuid import UUID

import asyncpg

from services.platform.db import Conn


async def add_comment(
    conn: Conn, request_id: UUID, *, author_id: str, author_role: str, kind: str, body: str
) -> asyncpg.Record:
    row: asyncpg.Record | None = await conn.fetchrow(
        "INSERT INTO comments (request_id, author_id, author_role, kind, body) VALUES ($1, $2, $3, $4, $5)"
        " RETURNING id, request_id, author_id, author_role, kind, body, at",
        request_id,
        author_id,
        author_role,
        kind,
        body,
    )
    assert row is not None
    return row


async def comments_of(conn: Conn, request_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, request_id, author_id, author_role, kind, body, at FROM comments WHERE request_id = $1 ORDER BY id",
        request_id,
    )
