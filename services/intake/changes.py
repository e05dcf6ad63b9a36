"""The one way a request changes: new state, a version, a timeline entry and its event(s),
all in the caller's transaction (with the request's row locked), or nothing.

Used by lifecycle (people's steps), conversation (comments) and routed (routing's events).
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from services.contracts.intake import CommentKind, RequestCommented, RequestStatusChanged, Status
from services.intake import domain, records, store, store_conversation
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import NotFound


def now() -> datetime:
    return datetime.now(UTC)


async def locked(conn: Conn, request_id: UUID) -> records.Request:
    row = await store.get_request(conn, request_id, for_update=True)
    if row is None:
        raise NotFound("no such request")
    return row


async def step(
    conn: Conn,
    row: records.Request,
    *,
    status: Status,
    kind: str,
    actor_id: str | None,
    detail: str = "",
    **fields: Any,
) -> int:
    """A status change (or a change of who is on it): returns the new version."""
    entry = records.Entry(kind=kind, actor_id=actor_id, status=status, detail=detail)
    event = RequestStatusChanged(
        event_id=uuid4(),
        occurred_at=now(),
        request_id=str(row.id),
        version=row.version + 1,
        pool_id=row.pool_id,
        requester_id=row.requester_id,
        on_behalf_of=row.on_behalf_of,
        status=status,
        previous=row.status,
        member_id=fields.get("member_id", row.member_id),
        buddy_id=fields.get("buddy_id", row.buddy_id),
        actor_id=actor_id,
    )
    # The change and its event in one statement while the row is as it was read (the usual
    # case); after an earlier change in this transaction, the event names the version it got.
    version = await store.change_announced(conn, row.id, entry, event, read_at=row.version, status=status, **fields)
    if version is None:
        version = await store.change(conn, row.id, entry, status=status, **fields)
        await outbox.add(conn, msgspec.structs.replace(event, version=version))
    return version


async def mark(
    conn: Conn, row: records.Request, *, kind: str, actor_id: str | None, detail: str = "", **fields: Any
) -> int:
    """A change that keeps the status (a comment, a rating, an edit, a file): version and
    timeline entry; the caller adds its own event with the returned version."""
    entry = records.Entry(kind=kind, actor_id=actor_id, status=row.status, detail=detail)
    version = await store.change(conn, row.id, entry, **fields)
    return version


async def write_comment(
    conn: Conn, row: records.Request, version: int, *, author_id: str, role: str, kind: CommentKind, body: str
) -> records.Comment:
    """A comment in the request's conversation and its event, as part of change `version`."""
    comment = await store_conversation.add_comment(
        conn, row.id, author_id=author_id, author_role=role, kind=kind, body=body
    )
    await outbox.add(
        conn,
        RequestCommented(
            event_id=uuid4(),
            occurred_at=now(),
            request_id=str(row.id),
            version=version,
            pool_id=row.pool_id,
            requester_id=row.requester_id,
            on_behalf_of=row.on_behalf_of,
            comment_id=comment.id,
            author_id=author_id,
            kind=kind,
            member_id=row.member_id,
        ),
    )
    return comment


async def resume(conn: Conn, row: records.Request, *, actor_id: str, kind: str) -> int:
    """Back to work after waiting on the requester; the completion clock starts again."""
    return await step(
        conn,
        row,
        status="in_progress",
        kind=kind,
        actor_id=actor_id,
        waiting_since=None,
        done_due_at=domain.resumed_done_due(row.done_due_at, row.waiting_since, now()),
    )
