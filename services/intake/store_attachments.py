"""Intake's SQL for attachments (metadata; the bytes live in the object store) and the queue
of objects to delete once their metadata is gone."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from services.intake.records import Attachment
from services.platform.db import Conn, as_record, as_records

COLUMNS = "id, request_id, uploaded_by, author_role, filename, content_type, size, object_key, created_at, schedule_id"


async def insert(conn: Conn, a: Attachment) -> Attachment:
    row = await conn.fetchrow(
        f"""INSERT INTO attachments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {COLUMNS}""",
        a.id,
        a.request_id,
        a.uploaded_by,
        a.author_role,
        a.filename,
        a.content_type,
        a.size,
        a.object_key,
        a.created_at,
        a.schedule_id,
    )
    assert row is not None
    return as_record(Attachment, row)


async def get(conn: Conn, attachment_id: UUID) -> Attachment | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM attachments WHERE id = $1", attachment_id)
    return None if row is None else as_record(Attachment, row)


async def of_request(conn: Conn, request_id: UUID) -> list[Attachment]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM attachments WHERE request_id = $1 ORDER BY created_at, id", request_id
    )
    return as_records(Attachment, rows)


async def of_schedule(conn: Conn, schedule_id: UUID) -> list[Attachment]:
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM attachments WHERE schedule_id = $1 ORDER BY created_at, id", schedule_id
    )
    return as_records(Attachment, rows)


async def claim_staged(conn: Conn, ids: Sequence[UUID], owner: str, request_id: UUID) -> list[Attachment]:
    """Tie the owner's staged uploads to the new request; returns the ones tied."""
    rows = await conn.fetch(
        f"""UPDATE attachments SET request_id = $3
            WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND request_id IS NULL AND schedule_id IS NULL
            RETURNING {COLUMNS}""",
        list(ids),
        owner,
        request_id,
    )
    return as_records(Attachment, rows)


async def delete_staged(conn: Conn, ids: Sequence[UUID], owner: str) -> int:
    result: str = await conn.execute(
        "DELETE FROM attachments WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND request_id IS NULL"
        " AND schedule_id IS NULL",
        list(ids),
        owner,
    )
    return int(result.split()[-1])


async def delete(conn: Conn, attachment_id: UUID) -> None:
    await conn.execute("DELETE FROM attachments WHERE id = $1", attachment_id)


async def delete_stale_staged(conn: Conn, before: datetime, limit: int) -> int:
    """Uploads never sent with a request (an abandoned form): their objects go too."""
    result: str = await conn.execute(
        """DELETE FROM attachments WHERE id IN (
               SELECT id FROM attachments WHERE request_id IS NULL AND schedule_id IS NULL AND created_at < $1
               LIMIT $2)""",
        before,
        limit,
    )
    return int(result.split()[-1])


async def claim_deletions(conn: Conn, limit: int) -> list[str]:
    """Object keys to delete (locked for this transaction; another replica skips them)."""
    rows = await conn.fetch(
        "SELECT object_key FROM objects_to_delete ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED", limit
    )
    return [r["object_key"] for r in rows]


async def deleted(conn: Conn, keys: Sequence[str]) -> None:
    await conn.execute("DELETE FROM objects_to_delete WHERE object_key = ANY($1::text[])", list(keys))
