"""SQL for privacy: what intake holds about one person (their requests, including those made on
their behalf, and what they wrote), removing a person's text on erasure, and the retention of
closed requests. Rows are kept, only text goes: the pool's figures stay the same."""

import msgspec

from services.contracts.intake_api import HeldComment, HeldRequest
from services.platform.db import Conn


async def requests_of(conn: Conn, account_id: str) -> list[HeldRequest]:
    rows = await conn.fetch(
        """SELECT id, pool_id, type_id, description, urgency, status, on_behalf_of, submitted_at, done_at,
                  cancelled_at, rating, rating_comment
           FROM requests WHERE requester_id = $1 OR on_behalf_of = $1 ORDER BY submitted_at""",
        account_id,
    )
    return [msgspec.convert(dict(r), HeldRequest) for r in rows]


async def comments_of(conn: Conn, account_id: str) -> list[HeldComment]:
    rows = await conn.fetch(
        "SELECT request_id, kind, body, at FROM comments WHERE author_id = $1 ORDER BY id", account_id
    )
    return [msgspec.convert(dict(r), HeldComment) for r in rows]


async def erase(conn: Conn, account_id: str) -> None:
    """Remove what the person wrote, the text (and files) of requests made by them or for them,
    and stop their standing orders. Comments go first, so every search document rebuilt after
    holds no word of theirs."""
    touched = await conn.fetch("UPDATE comments SET body = '' WHERE author_id = $1 RETURNING request_id", account_id)
    await conn.execute("UPDATE timeline SET detail = '' WHERE actor_id = $1", account_id)
    await conn.execute(
        """UPDATE requests SET description = '', rating_comment = NULL, anonymised_at = coalesce(anonymised_at, now())
           WHERE requester_id = $1 OR on_behalf_of = $1""",
        account_id,
    )
    # Someone else's request the person wrote on: rebuild its search document without their words.
    await conn.execute(
        "UPDATE requests SET description = description WHERE id = ANY($1::uuid[])",
        list({r["request_id"] for r in touched}),
    )
    await conn.execute(
        """UPDATE recurring_requests SET description = '', state = 'stopped', updated_at = now()
           WHERE requester_id = $1 OR on_behalf_of = $1""",
        account_id,
    )
    await conn.execute(
        """DELETE FROM attachments WHERE schedule_id IN (
               SELECT id FROM recurring_requests WHERE requester_id = $1 OR on_behalf_of = $1)""",
        account_id,
    )


async def retention_days(conn: Conn) -> int | None:
    days: int | None = await conn.fetchval("SELECT closed_request_days FROM retention")
    return days


async def set_retention_days(conn: Conn, days: int | None) -> None:
    await conn.execute(
        """INSERT INTO retention (only_row, closed_request_days, updated_at) VALUES (true, $1, now())
           ON CONFLICT (only_row) DO UPDATE SET closed_request_days = $1, updated_at = now()""",
        days,
    )


async def anonymise_closed(conn: Conn, *, older_than_days: int, batch: int = 500) -> int:
    """Remove the text of up to `batch` requests closed longer ago than the retention period."""
    ids = await conn.fetch(
        """SELECT id FROM requests
           WHERE anonymised_at IS NULL AND status IN ('done', 'cancelled')
             AND coalesce(done_at, cancelled_at) < now() - make_interval(days => $1)
           LIMIT $2 FOR UPDATE SKIP LOCKED""",
        older_than_days,
        batch,
    )
    found = [r["id"] for r in ids]
    if not found:
        return 0
    # Comments first: the request's search document is rebuilt when its description changes.
    await conn.execute("UPDATE comments SET body = '' WHERE request_id = ANY($1)", found)
    await conn.execute("UPDATE timeline SET detail = '' WHERE request_id = ANY($1)", found)
    await conn.execute(
        "UPDATE requests SET description = '', rating_comment = NULL, anonymised_at = now() WHERE id = ANY($1)", found
    )
    return len(found)
