"""What routing tells the pool when nobody takes a request now: the pool queue or, when nobody
can take it at all, the lead's queue at once (RequestQueued, with reasons and counts, never
names), and when the requester can expect a pick-up (PickupExpected, re-announced as it moves).

Runs in the caller's transaction; every event goes through the outbox with the state change.
"""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.contracts.routing import PickupExpected, Reason, RequestQueued
from services.platform import outbox
from services.platform.db import Conn
from services.routing import pickup, records, store
from services.routing.decision import Candidate, Decision, Policy, Routable

# A new estimate is announced when it moved at least this much (or its basis changed).
MOVED = timedelta(minutes=5)


def reasons_of(decision: Decision) -> list[Reason]:
    return [
        Reason(code=r.code, minutes=r.minutes, skill=r.skill, level=r.level, language=r.language)
        for r in decision.reasons
    ]


async def nobody_now(
    conn: Conn,
    req: records.RoutedRequest,
    decision: Decision,
    policy: Policy,
    candidates: list[Candidate],
    exclude: frozenset[str],
) -> None:
    """Nobody took `req` now: to the lead's queue if nobody can, else the pool queue (announced
    once); either way the expected pick-up, if it changed."""
    if decision.stranded() and not req.lead_queue:
        await store.record_decision(conn, req.request_id, req.pool_id, decision)
        await to_lead(conn, req.request_id, reasons_of(decision), decision.others)
    elif req.queued_at is None and not req.lead_queue:
        await store.record_decision(conn, req.request_id, req.pool_id, decision)
        version = await store.set_request_state(conn, req.request_id, "waiting")
        await outbox.add(
            conn,
            RequestQueued(
                event_id=uuid4(),
                occurred_at=datetime.now(UTC),
                request_id=req.request_id,
                version=version,
                pool_id=req.pool_id,
                why=decision.why(),
                reasons=reasons_of(decision),
                counts=decision.others,
            ),
        )
    await expected_pickup(conn, req, policy, candidates, exclude, stranded=decision.stranded())


async def to_lead(conn: Conn, request_id: str, reasons: list[Reason], counts: dict[str, int] | None = None) -> None:
    """The request goes to the lead's queue now, with why (the pwa tells the pool's leads)."""
    version = await store.set_request_state(conn, request_id, "waiting", lead_queue=True)
    req = await store.lock_request(conn, request_id)
    assert req is not None
    why = ", ".join(r.code for r in reasons)
    await outbox.add(
        conn,
        RequestQueued(
            event_id=uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=request_id,
            version=version,
            pool_id=req.pool_id,
            lead_queue=True,
            why=why,
            reasons=reasons,
            counts=counts or {},
        ),
    )


async def expected_pickup(
    conn: Conn,
    req: records.RoutedRequest,
    policy: Policy,
    candidates: list[Candidate],
    exclude: frozenset[str],
    *,
    stranded: bool,
) -> None:
    """Estimate when `req` will be picked up and announce it if it moved."""
    at = datetime.now(UTC)
    ahead = await store.needs_ahead(conn, req)
    expected = pickup.expect(routable_of(req, at), candidates, policy, ahead, exclude=exclude)
    basis = "lead" if expected.basis == "nobody" else expected.basis
    earliest = None if expected.earliest is None else at + timedelta(minutes=expected.earliest)
    latest = None if expected.latest is None else at + timedelta(minutes=expected.latest)
    await announce_pickup(conn, req, basis, earliest, latest, reason=_short_reason(basis, stranded))


def routable_of(req: records.RoutedRequest, at: datetime) -> Routable:
    return Routable(
        request_id=req.request_id,
        requester=req.requester_id,
        skill=req.skill,
        min_level=req.min_level,
        language=req.language,
        urgency=req.urgency,
        slack_minutes=(req.done_due_at - at).total_seconds() / 60 - req.work_minutes,
        base_minutes=float(req.work_minutes),
    )


def _short_reason(basis: str, stranded: bool) -> str:
    if basis == "lead":
        return "with_lead"
    if basis == "pool_opens":
        return "pool_closed"
    return "with_lead" if stranded else "all_busy"


def _moved(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) >= MOVED


async def announce_pickup(
    conn: Conn,
    req: records.RoutedRequest,
    basis: str,
    earliest: datetime | None,
    latest: datetime | None,
    *,
    reason: str,
) -> None:
    # `req` is the row this transaction locked, and nothing announced since: what it holds is current.
    before = store.announced_in(req)
    if before.basis == basis and not _moved(before.earliest, earliest) and not _moved(before.latest, latest):
        await store.touch_pickup(conn, req.request_id)
        return
    version = await store.set_pickup(conn, req.request_id, basis=basis, earliest=earliest, latest=latest)
    await outbox.add(
        conn,
        PickupExpected(
            event_id=uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=req.request_id,
            version=version,
            pool_id=req.pool_id,
            basis=basis,
            earliest_at=earliest,
            latest_at=latest,
            reason=reason,
        ),
    )
