"""Routing's service layer for offers: route a request (or announce it again when intake asks
twice), answer an offer, hand it back, expire it, drain the pool queue.

Every function runs in the caller's transaction and writes state, decision and events
(outbox) together. The choice itself is `decision.decide`, the pure function the simulator
also uses.
"""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import msgspec

from services.contracts.base import Event
from services.contracts.intake import RequestEdited, RequestSubmitted
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered, RequestQueued
from services.platform import healing, outbox
from services.platform.db import Conn
from services.platform.errors import Conflict, Forbidden, NotFound
from services.routing import (
    announce,
    availability,
    domain,
    records,
    store,
    store_members,
    store_offered,
    store_policy,
    store_rota,
)
from services.routing.decision import Candidate, Decision, Policy, decide


def now() -> datetime:
    return datetime.now(UTC)


async def policy_of(conn: Conn, pool_id: str) -> Policy:
    row = await store_policy.get_policy(conn, pool_id)
    return _policy(None if row is None else row.policy)


def _policy(stored: dict[str, Any] | None) -> Policy:
    """The pool's policy as stored; none stored: the defaults."""
    return Policy() if stored is None else msgspec.convert(stored, Policy)


async def accept_submission(conn: Conn, event: RequestSubmitted, *, zone: ZoneInfo) -> None:
    """RequestSubmitted → remember the request and offer it (or queue it)."""
    created = await store.insert_request(
        conn,
        records.NewRequest(
            request_id=event.request_id,
            pool_id=event.pool_id,
            requester_id=event.requester_id,
            skill=event.skill,
            min_level=event.min_level,
            language=event.language,
            urgency=event.urgency,
            work_minutes=event.work_minutes,
            submitted_at=event.occurred_at,
            pickup_due_at=event.pickup_due_at,
            done_due_at=event.done_due_at,
        ),
    )
    if created is not None:
        await route(conn, event.request_id, zone=zone, inserted=created)
    else:  # announced again by intake's heal sweep: say where it stands, do not route twice
        await reannounce(conn, event.request_id)


async def reannounce(conn: Conn, request_id: str) -> None:
    """Intake announced a request again that routing already has (intake's heal sweep: it never
    saw routing's answer). Routing does not route it twice; it announces its current state again
    (same version, new event id), so intake catches up. Logged and counted as a heal."""
    req = await store.lock_request(conn, request_id)
    if req is None or req.state in ("done", "cancelled"):
        return
    common: dict[str, Any] = {
        "event_id": uuid4(),
        "occurred_at": datetime.now(UTC),
        "request_id": request_id,
        "version": req.version,
        "pool_id": req.pool_id,
    }
    offer = await store.live_offer(conn, request_id)
    event: Event
    if offer is None:
        event = RequestQueued(**common, lead_queue=bool(req.lead_queue))
    elif offer.status == "accepted":
        event = OfferAccepted(
            **common,
            offer_id=str(offer.id),
            member_id=offer.member_id,
            buddy_id=offer.buddy_id,
            development=offer.development,
        )
    else:
        event = RequestOffered(
            **common,
            offer_id=str(offer.id),
            member_id=offer.member_id,
            expires_at=offer.expires_at,
            development=offer.development,
            buddy_id=offer.buddy_id,
        )
    await outbox.add(conn, event)
    what = "intake asked again about a request routing has"
    healing.record("routing", "reannounced", what, request_id=request_id, state=req.state)


async def accept_edit(conn: Conn, event: RequestEdited, *, zone: ZoneInfo) -> None:
    """RequestEdited → decide by the corrected urgency and due times from now on; a request
    still waiting is routed again with them (an open offer keeps running)."""
    if not {"urgency", "wished_for"} & set(event.changed):
        return
    state = await store.correct_request(conn, event.request_id, event.urgency, event.pickup_due_at, event.done_due_at)
    if state == "waiting":
        await route(conn, event.request_id, zone=zone)


async def _candidates(
    conn: Conn, req: records.RoutedRequest, zone: ZoneInfo, context: records.DecisionContext
) -> list[Candidate]:
    members = await store_members.contenders(conn, req.pool_id, req.requester_id)
    at = now()
    skills = {m.id: {k: int(v) for k, v in m.skills.items()} for m in members}
    in_hand = domain.work_in_hand(context.held, context.started, skills, at)
    weeks = {m.id: store_rota.decode_week(m.hours) for m in members}
    rota = availability.availability_in(context.rota, weeks, at, zone)
    candidates = []
    for m in members:
        shift = rota[m.id]
        candidates.append(
            Candidate(
                member_id=m.id,
                skills=skills[m.id],
                learning=tuple(m.learning),
                languages=tuple(m.languages),
                capacity=m.capacity,
                open_count=m.open_count,
                available=m.presence == "available",
                busy_minutes_today=m.busy_minutes_today,
                served_requester=m.served_requester,
                queued_minutes=in_hand.get(m.id, domain.InHand()).queued,
                accepted_minutes=in_hand.get(m.id, domain.InHand()).accepted,
                shift_left_minutes=shift.shift_left_minutes,
                off_shift_minutes=shift.off_shift_minutes,
                shift=shift.state,
            )
        )
    return candidates


async def route(
    conn: Conn,
    request_id: str,
    *,
    zone: ZoneInfo,
    only: str | None = None,
    skip_locked: bool = False,
    inserted: records.RoutedRequest | None = None,
) -> Decision | None:
    """Offer a waiting request to the best eligible member (or to `only`, a lead's choice);
    None if it is not waiting (or, with skip_locked, another replica is routing it).

    Nobody now: a request nobody can take (everyone declined, is away, or lacks the language
    or level) goes to the lead's queue at once, with the reasons counted; one that only waits
    for someone to have room stays in the pool queue. Either way the requester is told when
    to expect a pick-up. A request in the lead's queue is routed again like any waiting one,
    so it comes back as soon as someone can take it. Working hours are read in `zone`, the
    organisation's time zone. `inserted`: the request as this transaction just stored it
    (locked already: no need to read it again).
    """
    req = inserted or await store.lock_request(conn, request_id, skip_locked=skip_locked)
    if req is None or req.state != "waiting":
        return None
    context = await store.decision_context(conn, request_id, req.pool_id, now())
    policy = _policy(context.policy)
    candidates = await _candidates(conn, req, zone, context)
    if only is not None:
        candidates = [c for c in candidates if c.member_id == only]
    exclude = frozenset(context.refused)
    at = now()
    routable = announce.routable_of(req, at)
    dev_share = context.development_share
    # Another replica may fill a member between our read and our claim: exclude and retry.
    for _ in range(len(candidates) + 1):
        decision = decide(routable, candidates, policy, development_so_far=dev_share, exclude=exclude)
        if decision.member_id is None or await _offer(conn, req, decision, policy, at):
            break
        exclude = exclude | {decision.member_id}
    if decision.member_id is None and only is None:
        await announce.nobody_now(conn, req, decision, policy, candidates, exclude)
    return decision


async def _offer(conn: Conn, req: records.RoutedRequest, decision: Decision, policy: Policy, at: datetime) -> bool:
    """Offer the request to the chosen member if they still have room (False: they had none)."""
    assert decision.member_id is not None
    offer_id = uuid4()
    expires_at = at + timedelta(seconds=policy.offer_timeout_seconds)
    # The request is locked (or was stored by this transaction): its next version is known,
    # so the event can be written in the same statement as the offer.
    common: dict[str, Any] = {
        "event_id": uuid4(),
        "occurred_at": at,
        "request_id": req.request_id,
        "version": req.version + 1,
        "pool_id": req.pool_id,
        "offer_id": str(offer_id),
        "member_id": decision.member_id,
    }
    # The requester's expected pick-up is "now" until the offer expires; the offer itself says
    # so (intake takes it from RequestOffered): no PickupExpected of its own.
    announced = (
        OfferAccepted(**common, buddy_id=decision.buddy_id, development=decision.development)
        if policy.auto_accept
        else RequestOffered(
            **common,
            expires_at=expires_at,
            development=decision.development,
            buddy_id=decision.buddy_id,
            why=decision.why(),
            reasons=announce.reasons_of(decision),
        )
    )
    version = await store_offered.offer_made(
        conn,
        decision,
        request_id=req.request_id,
        pool_id=req.pool_id,
        offer_id=offer_id,
        status="accepted" if policy.auto_accept else "open",
        state="assigned" if policy.auto_accept else "offered",
        since=at,
        until=expires_at,
        announced=announced,
    )
    if version is None:
        return False
    if version != req.version + 1:  # the lock above makes this impossible; never announce a wrong version
        raise RuntimeError(f"request {req.request_id} changed under its lock (version {version})")
    return True


async def answer(conn: Conn, offer_id: UUID, member_id: str, *, zone: ZoneInfo, accept: bool, reason: str = "") -> None:
    """The member accepts or declines their open offer."""
    offer = await store.lock_offer(conn, offer_id)
    if offer is None:
        raise NotFound("no such offer")
    if offer.member_id != member_id:
        raise Forbidden("this offer was made to someone else")
    if offer.status != "open":
        raise Conflict(f"this offer is no longer open (it was {offer.status})")
    req = await store.lock_request(conn, offer.request_id)
    assert req is not None
    if not accept:
        await hand_back(conn, offer, req, zone=zone, status="declined", reason=reason)
        return
    accepted = OfferAccepted(
        event_id=uuid4(),
        occurred_at=now(),
        request_id=req.request_id,
        version=req.version + 1,  # the request is locked: this is the version the accept gives it
        pool_id=req.pool_id,
        offer_id=str(offer_id),
        member_id=member_id,
        buddy_id=offer.buddy_id,
        development=offer.development,
    )
    if await store.accept_offer(conn, offer_id, req.request_id, accepted) != accepted.version:
        raise RuntimeError(f"request {req.request_id} changed under its lock")


async def hand_back(
    conn: Conn, offer: records.Offer, req: records.RoutedRequest, *, zone: ZoneInfo, status: str, reason: str
) -> None:
    """The offer ends unanswered or declined: free the member, offer to the next candidate."""
    await store.answer_offer(conn, offer.id, status, reason)
    await store_members.free_capacity(conn, offer.member_id)
    version = await store.set_request_state(conn, req.request_id, "waiting")
    await outbox.add(
        conn,
        OfferDeclined(
            event_id=uuid4(),
            occurred_at=now(),
            request_id=req.request_id,
            version=version,
            pool_id=req.pool_id,
            offer_id=str(offer.id),
            member_id=offer.member_id,
            reason=reason,
            expired=status == "expired",
        ),
    )
    await route(conn, req.request_id, zone=zone)
    await drain_queue(conn, req.pool_id, zone=zone)


async def expire_offers(conn: Conn, *, zone: ZoneInfo) -> int:
    """Offers past their timeout go to the next candidate; returns how many expired."""
    expired = await store.expired_offers(conn, now())
    for offer in expired:
        req = await store.lock_request(conn, offer.request_id)
        assert req is not None
        await hand_back(conn, offer, req, zone=zone, status="expired", reason="no answer in time")
    return len(expired)


async def drain_queue(conn: Conn, pool_id: str, *, zone: ZoneInfo) -> None:
    """Offer waiting requests (most urgent, then oldest first) while members have room.

    A request nobody can take stays queued; the ones behind it may fit other members. Once a
    request with no refusals found nobody, others needing the same skill, level and
    language are skipped in this pass: nothing that could change that answer has happened.
    """
    hopeless: set[tuple[str, int, str]] = set()
    for row in await store.waiting_requests(conn, pool_id):
        needs = (row.skill, row.min_level, row.language)
        if needs in hopeless:
            continue
        if not await store_members.has_room(conn, pool_id):
            return
        # Another replica routing the same request will finish it: never wait on its lock.
        decision = await route(conn, row.request_id, zone=zone, skip_locked=True)
        if decision is not None and decision.member_id is None and not row.refused:
            hopeless.add(needs)


async def drain_all_queues(conn: Conn, *, zone: ZoneInfo) -> None:
    """The periodic safety net: every pool with waiting requests gets a drain pass."""
    for pool_id in await store.pools_with_waiting(conn):
        await drain_queue(conn, pool_id, zone=zone)


async def refresh_pickups(conn: Conn, *, zone: ZoneInfo, every: timedelta = timedelta(seconds=60)) -> int:
    """Waiting requests whose expected pick-up was last looked at `every` ago are estimated again
    (time passes and shifts open and close, even when nothing happens); returns how many."""
    refreshed = 0
    for request_id in await store.stale_pickups(conn, now() - every):
        req = await store.lock_request(conn, request_id, skip_locked=True)
        if req is None or req.state != "waiting":
            continue
        context = await store.decision_context(conn, request_id, req.pool_id, now())
        candidates = await _candidates(conn, req, zone, context)
        exclude = frozenset(context.refused)
        policy = _policy(context.policy)
        await announce.expected_pickup(conn, req, policy, candidates, exclude, stranded=bool(req.lead_queue))
        refreshed += 1
    return refreshed
