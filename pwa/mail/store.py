"""The mail queue's SQL: add, claim what is due (SKIP LOCKED, with a lease so a crashed worker
only delays a message), and record the outcome."""

from datetime import timedelta

from pwa.records import Message
from services.platform.db import Conn, as_records


async def add(
    conn: Conn, *, to: str, template: str, language: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> int:
    message_id: int = await conn.fetchval(
        "INSERT INTO mail_queue (to_address, template, language, subject, body, headers)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        to,
        template,
        language,
        subject,
        body,
        headers or {},
    )
    return message_id


async def add_many(conn: Conn, messages: list[tuple[str, str, str, str, str]]) -> None:
    """(to, template, language, subject, body) each, in one statement."""
    await conn.execute(
        """INSERT INTO mail_queue (to_address, template, language, subject, body)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])""",
        *([m[i] for m in messages] for i in range(5)),
    )


async def claim_due(conn: Conn, limit: int, lease: timedelta) -> list[Message]:
    """Due messages, leased to this worker: another worker sees them again only after the lease."""
    rows = await conn.fetch(
        """UPDATE mail_queue SET not_before = now() + $2::interval, attempts = attempts + 1
           WHERE id IN (SELECT id FROM mail_queue WHERE status = 'queued' AND not_before <= now()
                        ORDER BY not_before, id LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING id, to_address, template, language, subject, body, attempts, created_at, headers""",
        limit,
        lease,
    )
    return as_records(Message, rows)


async def sent(conn: Conn, message_id: int) -> None:
    # The body may hold a one-time link: once sent it is not kept in the database.
    await conn.execute(
        "UPDATE mail_queue SET status = 'sent', sent_at = now(), body = '', last_error = '' WHERE id = $1", message_id
    )


async def retry(conn: Conn, message_id: int, after: timedelta, error: str) -> None:
    await conn.execute(
        "UPDATE mail_queue SET not_before = now() + $2::interval, last_error = $3 WHERE id = $1",
        message_id,
        after,
        error[:500],
    )


async def failed(conn: Conn, message_id: int, error: str) -> None:
    await conn.execute(
        "UPDATE mail_queue SET status = 'failed', body = '', last_error = $2 WHERE id = $1", message_id, error[:500]
    )


async def counts(conn: Conn) -> dict[str, int]:
    rows = await conn.fetch("SELECT status, count(*) AS n FROM mail_queue GROUP BY status")
    return {status: int(n) for status, n in rows}
