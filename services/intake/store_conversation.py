"""Intake's SQL for a request's conversation: comments, questions and answers."""

from uuid import UUID

from services.intake import records
from services.platform.db import Conn, as_record, as_records


async def add_comment(
    conn: Conn, request_id: UUID, *, author_id: str, author_role: str, kind: str, body: str
) -> records.Comment:
    row = await conn.fetchrow(
        "INSERT INTO comments (request_id, author_id, author_role, kind, body) VALUES ($1, $2, $3, $4, $5)"
        " RETURNING id, request_id, author_id, author_role, kind, body, at",
        request_id,
        author_id,
        author_role,
        kind,
        body,
    )
    assert row is not None
    return as_record(records.Comment, row)


async def comments_of(conn: Conn, request_id: UUID) -> list[records.Comment]:
    rows = await conn.fetch(
        "SELECT id, request_id, author_id, author_role, kind, body, at FROM comments WHERE request_id = $1 ORDER BY id",
        request_id,
    )
    return as_records(records.Comment, rows)
