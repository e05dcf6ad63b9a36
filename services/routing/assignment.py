"""Routing's service layer for offers: route a request, answer an offer, hand it back,
expire it, finish it, drain the pool queue.

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
from services.routing import availability, heal, member_store, policy_store, rota_store, store
from services.routing.decision import Candidate, Decision, Policy, Routable, decide, work_factor


def now() -> datetime:
    return datetime.now(UTC)


def as_json(value: Any) -> Any:
    """asyncpg returns jsonb as text unless a codec is set."""
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


async def policy_of(conn: Conn, pool_id: str) -> Policy:
    row = await policy_store.get_policy(conn, pool_id)
    return Policy() if row is None else msgspec.convert(as_json(row["policy"]), Policy)


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
    else:  # announced again by intake's heal sweep: say where it stands, do not route twice
        await heal.reannounce(conn, event.request_id)


async def _candidates(conn: Conn, req: asyncpg.Record) -> tuple[list[Candidate], dict[str, str]]:
    members = await member_store.members_of(conn, req["pool_id"])
    served = await member_store.served_requester(conn, req["requester_id"])
    busy = await member_store.busy_minutes_today(conn, req["pool_id"])
    queued = await member_store.queued_minutes(conn, req["pool_id"])
    weeks = {m["id"]: rota_store.decode_week(m["hours"]) for m in members}
    rota = await availability.availability(conn, req["pool_id"], weeks, now())
    candidates = []
    for m in members:
        skills = {k: int(v) for k, v in as_json(m["skills"]).items()}
        shift = rota[m["id"]]
        candidates.append(
            Candidate(
                member_id=m["id"], skills=skills, learning=tuple(m["learning"]), languages=tuple(m["languages"]),
                capacity=m["capacity"], open_count=m["open_count"], available=m["presence"] == "available",
                busy_minutes_today=busy.get(m["id"], 0.0), served_requester=m["id"] in served,
                # Held work at this member's pace in its skill is unknown here: use the base.
                queued_minutes=queued.get(m["id"], 0.0) * work_factor(skills.get(req["skill"], 0)),
                shift_left_minutes=shift.shift_left_minutes, off_shift_minutes=shift.off_shift_minutes,
                shift=shift.state,
            )
        )  # fmt: skip
    return candidates, {m["id"]: m["name"] for m in members}


async def route(conn: Conn, request_id: str, *, only: str | None = None, skip_locked: bool = False) -> Decision | None:
    """Offer a waiting request to the best eligible member (or to `only`, a lead's choice);
    None if it is not waiting (or, with skip_locked, another replica is routing it)."""
    req = await store.lock_request(conn, request_id, skip_locked=skip_locked)
    if req is None or req["state"] != "waiting":
        return None
    policy = await policy_of(conn, req["pool_id"])
    candidates, names = await _candidates(conn, req)
    if only is not None:
        candidates = [c for c in candidates if c.member_id == only]
    exclude = frozenset(await store.refused_members(conn, request_id))
    at = now()
    routable = Routable(
        request_id=request_id, requester=req["requester_id"], skill=req["skill"], min_level=req["min_level"],
        language=req["language"], urgency=req["urgency"],
        slack_minutes=(req["done_due_at"] - at).total_seconds() / 60 - req["work_minutes"],
        base_minutes=float(req["work_minutes"]),
    )  # fmt: skip
    dev_share = await store.development_share(conn, req["pool_id"])
    # Another replica may fill a member between our read and our claim: exclude and retry.
    for _ in range(len(candidates) + 1):
        decision = decide(routable, candidates, policy, development_so_far=dev_share, exclude=exclude)
        if decision.member_id is None or await member_store.take_capacity(conn, decision.member_id):
            break
        exclude = exclude | {decision.member_id}
    if decision.member_id is None and req["queued_at"] is not None:
        return decision  # still nobody: the explanation recorded when it was queued stands
    decision = msgspec.structs.replace(decision, why=_with_names(decision.why, names))
    await store.record_decision(conn, request_id, req["pool_id"], msgspec.to_builtins(decision))
    if decision.member_id is None:
        await _queue(conn, req, decision.why)
    else:
        await _offer(conn, req, decision, policy, at)
    return decision


def _with_names(why: str, names: dict[str, str]) -> str:
    for member_id, name in names.items():
        why = why.replace(member_id, name)
    return why


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
        await outbox.add(conn, OfferAccepted(**common, buddy_id=decision.buddy_id, development=decision.development))
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
    if not accept:
        await hand_back(conn, offer, req, status="declined", reason=reason)
        return
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


async def hand_back(conn: Conn, offer: asyncpg.Record, req: asyncpg.Record, *, status: str, reason: str) -> None:
    """The offer ends unanswered or declined: free the member, offer to the next candidate."""
    await store.answer_offer(conn, offer["id"], status, reason)
    await member_store.free_capacity(conn, offer["member_id"])
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
        await hand_back(conn, offer, req, status="expired", reason="no answer in time")
    return len(expired)


async def drain_queue(conn: Conn, pool_id: str) -> None:
    """Offer waiting requests (most urgent, then oldest first) while members have room.

    A request nobody can take stays queued; the ones behind it may fit other members. Once a
    request with no refusals found nobody, others needing the same skill, level and
    language are skipped in this pass: nothing that could change that answer has happened.
    """
    hopeless: set[tuple[str, int, str]] = set()
    for row in await store.waiting_requests(conn, pool_id):
        needs = (row["skill"], row["min_level"], row["language"])
        if needs in hopeless:
            continue
        if not await member_store.has_room(conn, pool_id):
            return
        # Another replica routing the same request will finish it: never wait on its lock.
        decision = await route(conn, row["request_id"], skip_locked=True)
        if decision is not None and decision.member_id is None and not row["refused"]:
            hopeless.add(needs)


async def drain_all_queues(conn: Conn) -> None:
    """The periodic safety net: every pool with waiting requests gets a drain pass."""
    for pool_id in await store.pools_with_waiting(conn):
        await drain_queue(conn, pool_id)
