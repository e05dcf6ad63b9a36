"""Intake's service layer: each function is one change to a request, done in the caller's
transaction — state, timeline entry and event (outbox) together, or nothing.
"""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg

from services.contracts.intake import RequestStatusChanged, RequestSubmitted
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered
from services.intake import domain, store
from services.intake.views import NewRequest
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Invalid, NotFound
from services.platform.tokens import Caller


def now() -> datetime:
    return datetime.now(UTC)


async def submit(conn: Conn, caller: Caller, body: NewRequest) -> tuple[asyncpg.Record, bool]:
    """Store a new request and its RequestSubmitted; the same idempotency key returns the
    first request unchanged (created=False)."""
    existing = await store.request_by_key(conn, caller.account_id, body.idempotency_key)
    if existing is not None:
        return existing, False
    rtype = await store.get_type(conn, body.type_id)
    if rtype is None or rtype["retired_at"] is not None:
        raise Invalid(f"type_id: there is no request type '{body.type_id}' that can be requested")
    if body.on_behalf_of == caller.account_id:
        raise Invalid("on_behalf_of: leave this empty when the request is for yourself")
    submitted_at = now()
    level = domain.ServiceLevel(rtype["pickup_minutes"], rtype["complete_minutes"])
    pickup_due, done_due = domain.due_times(submitted_at, level, body.urgency)
    language = body.language if rtype["language"] == "any" else rtype["language"]
    request_id = uuid4()
    created = await store.insert_request(
        conn,
        {
            "id": request_id,
            "pool_id": rtype["pool_id"],
            "requester_id": caller.account_id,
            "on_behalf_of": body.on_behalf_of,
            "type_id": rtype["id"],
            "idempotency_key": body.idempotency_key,
            "description": body.description,
            "urgency": body.urgency,
            "wished_for": body.wished_for,
            "language": language,
            "submitted_at": submitted_at,
            "pickup_due_at": pickup_due,
            "done_due_at": done_due,
        },
    )
    if not created:  # a concurrent call with the same key won the race
        raced = await store.request_by_key(conn, caller.account_id, body.idempotency_key)
        assert raced is not None
        return raced, False
    await store.add_timeline(conn, request_id, kind="submitted", actor_id=caller.account_id, status="submitted")
    await outbox.add(
        conn,
        RequestSubmitted(
            event_id=uuid4(),
            occurred_at=submitted_at,
            request_id=str(request_id),
            version=1,
            pool_id=rtype["pool_id"],
            requester_id=caller.account_id,
            on_behalf_of=body.on_behalf_of,
            type_id=rtype["id"],
            skill=rtype["skill"],
            min_level=rtype["min_level"],
            language=language,
            urgency=body.urgency,
            pickup_due_at=pickup_due,
            done_due_at=done_due,
            work_minutes=rtype["work_minutes"],
        ),
    )
    row = await store.get_request(conn, request_id)
    assert row is not None
    return row, True


async def _change(
    conn: Conn,
    row: asyncpg.Record,
    *,
    status: str,
    member_id: str | None,
    actor_id: str | None,
    kind: str,
    detail: str = "",
    buddy_id: str | None = None,
    routing_version: int | None = None,
    stamp: str | None = None,
) -> int:
    version = await store.set_status(
        conn, row["id"], status=status, member_id=member_id, buddy_id=buddy_id,
        routing_version=routing_version, stamp=stamp,
    )  # fmt: skip
    await store.add_timeline(conn, row["id"], kind=kind, actor_id=actor_id, status=status, detail=detail)
    await outbox.add(
        conn,
        RequestStatusChanged(
            event_id=uuid4(),
            occurred_at=now(),
            request_id=str(row["id"]),
            version=version,
            pool_id=row["pool_id"],
            requester_id=row["requester_id"],
            status=status,  # type: ignore[arg-type]
            previous=row["status"],
            member_id=member_id,
            actor_id=actor_id,
        ),
    )
    return version


async def _routed_request(conn: Conn, request_id: str, routing_version: int) -> asyncpg.Record | None:
    """The request if this routing event is newer than what we applied; None to drop it."""
    row = await store.get_request(conn, UUID(request_id), for_update=True)
    if row is None:
        raise NotFound(f"routing event for unknown request {request_id}")
    if routing_version <= row["routing_version"] or row["status"] in ("done", "cancelled"):
        return None
    return row


async def record_offer(conn: Conn, event: RequestOffered) -> None:
    row = await _routed_request(conn, event.request_id, event.version)
    if row is None or row["status"] not in ("submitted", "offered"):
        return
    await _change(
        conn, row, status="offered", member_id=event.member_id, actor_id=None, kind="offered",
        detail=event.why, routing_version=event.version,
    )  # fmt: skip


async def record_decline(conn: Conn, event: OfferDeclined) -> None:
    row = await _routed_request(conn, event.request_id, event.version)
    if row is None or row["status"] != "offered" or row["member_id"] != event.member_id:
        return
    await _change(
        conn, row, status="submitted", member_id=None, actor_id=event.member_id,
        kind="offer_expired" if event.expired else "offer_declined", routing_version=event.version,
    )  # fmt: skip


async def record_acceptance(conn: Conn, event: OfferAccepted) -> None:
    row = await _routed_request(conn, event.request_id, event.version)
    if row is None or row["status"] not in ("submitted", "offered"):
        return
    await _change(
        conn, row, status="in_progress", member_id=event.member_id, actor_id=event.member_id,
        kind="accepted", buddy_id=event.buddy_id, routing_version=event.version, stamp="picked_up_at",
    )  # fmt: skip
