"""Routing's service layer: offer a request, answer an offer, free a member, drain the queue.

Every function runs in the caller's transaction and writes state, decision and events
(outbox) together. The choice itself is `decision.decide`, the pure function the simulator
also uses.
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import msgspec

from services.contracts.intake import RequestSubmitted
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered, RequestQueued
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Conflict, Forbidden, NotFound
from services.routing import store
from services.routing.decision import Candidate, Decision, Policy, Routable, decide


def now() -> datetime:
    return datetime.now(UTC)


async def policy_of(conn: Conn, pool_id: str) -> Policy:
    row = await store.get_policy(conn, pool_id)
    return Policy() if row is None else msgspec.convert(_json(row["policy"]), Policy)


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


async def accept_submission(conn: Conn, event: RequestSubmitted) -> None:
    """RequestSubmitted → remember the request and offer it (or queue it)."""
    created = await store.insert_request(
        conn,
        {
            "request_id": event.request_id, "pool_id": event.pool_id, "requester_id": event.requester_id,
            "skill": event.skill, "min_level": event.min_level, "language": event.language,
            "urgency": event.urgency, "work_minutes": event.work_minutes,
            "submitted_at": event.occurred_at, "pickup_due_at": event.pickup_due_at,
            "done_due_at": event.done_due_at,
        },
    )  # fmt: skip
    if created:
        await route(conn, event.request_id)


def _candidate(m: asyncpg.Record, served: set[str], busy: dict[str, float]) -> Candidate:
    return Candidate(
        member_id=m["id"],
        skills={k: int(v) for k, v in _json(m["skills"]).items()},
        learning=tuple(m["learning"]),
        languages=tuple(m["languages"]),
        capacity=m["capacity"],
        open_count=m["open_count"],
        available=m["presence"] == "available",
        busy_minutes_today=busy.get(m["id"], 0.0),
        served_requester=m["id"] in served,
    )


async def route(conn: Conn, request_id: str) -> Decision | None:
    """Offer a waiting request to the best eligible member; None if it is not waiting."""
    req = await store.lock_request(conn, request_id)
    if req is None or req["state"] != "waiting":
        return None
    policy = await policy_of(conn, req["pool_id"])
    members = await store.members_of(conn, req["pool_id"])
    served = await store.served_requester(conn, req["requester_id"])
    busy = await store.busy_minutes_today(conn, req["pool_id"])
    candidates = [_candidate(m, served, busy) for m in members]
    exclude = frozenset(await store.refused_members(conn, request_id))
    at = now()
    routable = Routable(
        request_id=request_id,
        requester=req["requester_id"],
        skill=req["skill"],
        min_level=req["min_level"],
        language=req["language"],
        urgency=req["urgency"],
        slack_minutes=(req["done_due_at"] - at).total_seconds() / 60 - req["work_minutes"],
        base_minutes=float(req["work_minutes"]),
    )
    dev_share = await store.development_share(conn, req["pool_id"])
    # Another replica may fill a member between our read and our claim: exclude and retry.
    for _ in range(len(candidates) + 1):
        decision = decide(routable, candidates, policy, development_so_far=dev_share, exclude=exclude)
        if decision.member_id is None or await store.take_capacity(conn, decision.member_id):
            break
        exclude = exclude | {decision.member_id}
    await store.record_decision(conn, request_id, msgspec.to_builtins(decision))
    if decision.member_id is None:
        await _queue(conn, req, decision.why)
    else:
        await _offer(conn, req, decision, policy, at)
    return decision


async def _queue(conn: Conn, req: asyncpg.Record, why: str) -> None:
    if req["queued_at"] is not None:
        return  # already announced as queued
    version = await store.set_request_state(conn, req["request_id"], "waiting")
    await outbox.add(
        conn,
        RequestQueued(
            event_id=uuid4(), occurred_at=now(), request_id=req["request_id"], version=version,
            pool_id=req["pool_id"], lead_queue=bool(req["lead_queue"]), why=why,
        ),
    )  # fmt: skip


async def _offer(conn: Conn, req: asyncpg.Record, decision: Decision, policy: Policy, at: datetime) -> None:
    assert decision.member_id is not None
    offer_id = uuid4()
    expires_at = at + timedelta(seconds=policy.offer_timeout_seconds)
    status = "accepted" if policy.auto_accept else "open"
    await store.insert_offer(
        conn, offer_id=offer_id, request_id=req["request_id"], member_id=decision.member_id,
        status=status, development=decision.development, buddy_id=decision.buddy_id, expires_at=expires_at,
    )  # fmt: skip
    version = await store.set_request_state(conn, req["request_id"], "assigned" if policy.auto_accept else "offered")
    common = {"event_id": uuid4(), "occurred_at": at, "request_id": req["request_id"], "version": version,
              "pool_id": req["pool_id"], "offer_id": str(offer_id), "member_id": decision.member_id}  # fmt: skip
    if policy.auto_accept:
        await outbox.add(
            conn,
            OfferAccepted(**common, buddy_id=decision.buddy_id, development=decision.development),
        )
    else:
        await outbox.add(
            conn,
            RequestOffered(
                **common, expires_at=expires_at, development=decision.development,
                buddy_id=decision.buddy_id, why=decision.why,
            ),
        )  # fmt: skip


async def answer(conn: Conn, offer_id: UUID, member_id: str, *, accept: bool, reason: str = "") -> None:
    """The member accepts or declines their open offer."""
    offer = await store.lock_offer(conn, offer_id)
    if offer is None:
        raise NotFound("no such offer")
    if offer["member_id"] != member_id:
        raise Forbidden("this offer was made to someone else")
    if offer["status"] != "open":
        raise Conflict(f"this offer is no longer open (it was {offer['status']})")
    req = await store.lock_request(conn, offer["request_id"])
    assert req is not None
    if accept:
        await store.answer_offer(conn, offer_id, "accepted")
        version = await store.set_request_state(conn, req["request_id"], "assigned")
        await outbox.add(
            conn,
            OfferAccepted(
                event_id=uuid4(), occurred_at=now(), request_id=req["request_id"], version=version,
                pool_id=req["pool_id"], offer_id=str(offer_id), member_id=member_id,
                buddy_id=offer["buddy_id"], development=offer["development"],
            ),
        )  # fmt: skip
        return
    await _hand_back(conn, offer, req, status="declined", reason=reason)


async def _hand_back(conn: Conn, offer: asyncpg.Record, req: asyncpg.Record, *, status: str, reason: str) -> None:
    """The offer ends unanswered or declined: free the member, offer to the next candidate."""
    await store.answer_offer(conn, offer["id"], status, reason)
    await store.free_capacity(conn, offer["member_id"])
    version = await store.set_request_state(conn, req["request_id"], "waiting")
    await outbox.add(
        conn,
        OfferDeclined(
            event_id=uuid4(), occurred_at=now(), request_id=req["request_id"], version=version,
            pool_id=req["pool_id"], offer_id=str(offer["id"]), member_id=offer["member_id"],
            reason=reason, expired=status == "expired",
        ),
    )  # fmt: skip
    await route(conn, req["request_id"])
    await drain_queue(conn, req["pool_id"])


async def expire_offers(conn: Conn) -> int:
    """Offers past their timeout go to the next candidate; returns how many expired."""
    expired = await store.expired_offers(conn, now())
    for offer in expired:
        req = await store.lock_request(conn, offer["request_id"])
        assert req is not None
        await _hand_back(conn, offer, req, status="expired", reason="no answer in time")
    return len(expired)


async def drain_queue(conn: Conn, pool_id: str) -> None:
    """Offer waiting requests (most urgent, then oldest first) while members have room."""
    for row in await store.waiting_requests(conn, pool_id):
        decision = await route(conn, row["request_id"])
        if decision is not None and decision.member_id is None and not decision.development:
            # Nobody could take this one; others in the queue may fit other skills.
            continue


async def finish(conn: Conn, request_id: str, *, state: str) -> None:
    """The request is done or cancelled: end its live offer, free the member, drain the queue."""
    req = await store.lock_request(conn, request_id)
    if req is None or req["state"] in ("done", "cancelled"):
        return
    offer = await store.live_offer(conn, request_id)
    if offer is not None:
        await store.answer_offer(conn, offer["id"], "done" if state == "done" else "withdrawn")
        await store.free_capacity(conn, offer["member_id"])
        if state == "done":
            await store.record_service(conn, offer["member_id"], req["requester_id"], req["skill"])
    await store.set_request_state(conn, request_id, state)
    await drain_queue(conn, req["pool_id"])


async def set_presence(conn: Conn, member_id: str, presence: str) -> asyncpg.Record:
    """Going away or off duty hands back open offers at once, to the next candidates."""
    row = await store.set_presence(conn, member_id, presence)
    if row is None:
        raise NotFound("you are not a member of a pool")
    if presence != "available":
        for offer in await store.open_offers_of(conn, member_id):
            req = await store.lock_request(conn, offer["request_id"])
            assert req is not None
            await _hand_back(
                conn,
                offer,
                req,
                status="withdrawn",
                reason=f"member went {presence.replace('_', ' ')}",
            )
    else:
        await drain_queue(conn, row["pool_id"])
    return row
