"""A decision that found someone is written in one statement: the member's capacity claimed,
the decision, the offer, the request's state and the event that announces it — or, when the
member has no room after all (another replica filled it), nothing at all. The member's accept
is one statement too: the answer, the request's state and its event."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import msgspec

from services.contracts.routing import OfferAccepted, RequestOffered
from services.routing import records, store, store_members
from services.routing.decision import Decision
from services.routing.store_offered import offer_made
from tests.integration.routing.conftest import store_member, stored_request
from tests.support import new_id


async def offer_to(conn: Any, req: records.RoutedRequest, member_id: str) -> tuple[int | None, RequestOffered]:
    at = datetime.now(UTC)
    offer_id = uuid.uuid4()
    event = RequestOffered(
        event_id=uuid.uuid4(),
        occurred_at=at,
        request_id=req.request_id,
        version=req.version + 1,
        pool_id=req.pool_id,
        offer_id=str(offer_id),
        member_id=member_id,
        expires_at=at + timedelta(minutes=15),
    )
    decision = Decision(member_id=member_id, development=False, buddy_id=None, candidates=[], reasons=[], others={})
    version = await offer_made(
        conn,
        decision,
        request_id=req.request_id,
        pool_id=req.pool_id,
        offer_id=offer_id,
        status="open",
        state="offered",
        since=at,
        until=event.expires_at,
        announced=event,
    )
    return version, event


async def written(conn: Any, req: records.RoutedRequest, event: RequestOffered) -> dict[str, Any]:
    return dict(
        await conn.fetchrow(
            """SELECT (SELECT count(*) FROM decisions WHERE request_id = $1) AS decisions,
                      (SELECT count(*) FROM offers WHERE request_id = $1) AS offers,
                      (SELECT state FROM requests WHERE request_id = $1) AS state,
                      (SELECT payload FROM outbox WHERE event_id = $2) AS payload""",
            req.request_id,
            event.event_id,
        )
    )


async def test_an_offer_claims_the_members_room_and_writes_its_decision_state_and_event(
    routing_db: asyncpg.Pool,
) -> None:
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn, conn.transaction():
        anna = await store_member(conn, pool_id, capacity=1)
        req = await stored_request(conn, pool_id)
        version, event = await offer_to(conn, req, anna)

        assert version == req.version + 1
        found = await written(conn, req, event)
        assert (found["decisions"], found["offers"], found["state"]) == (1, 1, "offered")
        assert msgspec.json.decode(bytes(found["payload"]), type=RequestOffered) == event
        [anna_now] = await store_members.contenders(conn, pool_id, req.requester_id)
        assert anna_now.open_count == 1


async def test_a_member_without_room_gets_no_offer_and_nothing_is_written(routing_db: asyncpg.Pool) -> None:
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn, conn.transaction():
        anna = await store_member(conn, pool_id, capacity=1)
        taken, _ = await offer_to(conn, await stored_request(conn, pool_id), anna)
        assert taken is not None

        req = await stored_request(conn, pool_id)  # anna is full now, as if another replica had filled her
        version, event = await offer_to(conn, req, anna)

        assert version is None
        found = await written(conn, req, event)
        assert (found["decisions"], found["offers"], found["state"], found["payload"]) == (0, 0, "waiting", None)
        [anna_now] = await store_members.contenders(conn, pool_id, req.requester_id)
        assert anna_now.open_count == 1


async def test_an_accept_writes_the_answer_the_requests_state_and_its_event_together(routing_db: asyncpg.Pool) -> None:
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn, conn.transaction():
        anna = await store_member(conn, pool_id, capacity=1)
        req = await stored_request(conn, pool_id)
        offered_version, offered = await offer_to(conn, req, anna)
        assert offered_version is not None
        locked = await store.lock_request(conn, req.request_id)
        assert locked is not None and locked.version == offered_version
        accepted = OfferAccepted(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=req.request_id,
            version=locked.version + 1,
            pool_id=pool_id,
            offer_id=offered.offer_id,
            member_id=anna,
        )

        version = await store.accept_offer(conn, uuid.UUID(offered.offer_id), req.request_id, accepted)

        assert version == accepted.version
        row = await conn.fetchrow(
            """SELECT (SELECT status FROM offers WHERE id = $1) AS offer, (SELECT state FROM requests
                      WHERE request_id = $2) AS state, (SELECT payload FROM outbox WHERE event_id = $3) AS payload""",
            uuid.UUID(offered.offer_id),
            req.request_id,
            accepted.event_id,
        )
        assert (row["offer"], row["state"]) == ("accepted", "assigned")
        assert msgspec.json.decode(bytes(row["payload"]), type=OfferAccepted) == accepted
