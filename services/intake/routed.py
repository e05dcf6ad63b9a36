"""What routing decided, applied to the request: offered, declined or expired, accepted, and
handed over to another member. Routing's `version` (its own per-request counter) drops stale
or replayed events; each applied one is a change of the request like any other.
"""

from uuid import UUID

from services.contracts.routing import OfferAccepted, OfferDeclined, PickupExpected, RequestOffered
from services.intake import changes, domain, records, store
from services.platform.db import Conn
from services.platform.errors import NotFound

WORKING = ("in_progress", "waiting_on_requester")


async def _routed_request(conn: Conn, request_id: str, routing_version: int) -> records.Request | None:
    """The request if this routing event is newer than what we applied; None to drop it."""
    row = await store.get_request(conn, UUID(request_id), for_update=True)
    if row is None:
        raise NotFound(f"routing event for unknown request {request_id}")
    if routing_version <= row.routing_version or row.status in domain.CLOSED:
        return None
    return row


async def record_offer(conn: Conn, event: RequestOffered) -> None:
    row = await _routed_request(conn, event.request_id, event.version)
    if row is None or row.status not in domain.NOT_STARTED:
        return
    await changes.step(
        conn,
        row,
        status="offered",
        kind="offered",
        actor_id=None,
        detail=event.why,
        member_id=event.member_id,
        buddy_id=event.buddy_id,
        routing_version=event.version,
        # The offer is routing's expected pick-up too ("now", until it expires), in the same change.
        expected_basis="now",
        expected_from=event.occurred_at,
        expected_to=event.expires_at,
        expected_reason="offered",
        expected_version=event.version,
    )


async def record_decline(conn: Conn, event: OfferDeclined) -> None:
    row = await _routed_request(conn, event.request_id, event.version)
    if row is None or row.status != "offered" or row.member_id != event.member_id:
        return
    # Nobody is named beside a decline: the pool keeps no record of who said no.
    await changes.step(
        conn,
        row,
        status="submitted",
        member_id=None,
        buddy_id=None,
        actor_id=None,
        kind="offer_expired" if event.expired else "offer_declined",
        routing_version=event.version,
    )


async def record_pickup(conn: Conn, event: PickupExpected) -> None:
    """Routing's expected pick-up, kept to show as is (routing knows who is on shift and busy)."""
    await store.set_expected_pickup(
        conn,
        UUID(event.request_id),
        version=event.version,
        basis=event.basis,
        earliest=event.earliest_at,
        latest=event.latest_at,
        reason=event.reason,
    )


async def record_acceptance(conn: Conn, event: OfferAccepted) -> None:
    """Accepted: the work starts. On a request already being worked on, an acceptance by
    someone else is a handover: the previous member (and buddy) become helpers."""
    row = await _routed_request(conn, event.request_id, event.version)
    if row is None:
        return
    if row.status in WORKING:
        if row.member_id == event.member_id:
            return
        await _hand_over(conn, row, event)
        return
    at = changes.now()
    late = at > row.pickup_due_at and row.pickup_breach_at is None
    await changes.step(
        conn,
        row,
        status="in_progress",
        kind="accepted",
        actor_id=event.member_id,
        member_id=event.member_id,
        buddy_id=event.buddy_id,
        routing_version=event.version,
        picked_up_at=row.picked_up_at or at,
        pickup_breach_at=at if late else row.pickup_breach_at,
    )


async def _hand_over(conn: Conn, row: records.Request, event: OfferAccepted) -> None:
    previous = [p for p in (row.member_id, row.buddy_id) if p and p not in (event.member_id, event.buddy_id)]
    helpers = list(dict.fromkeys([*(row.helper_ids or ()), *previous]))
    await changes.step(
        conn,
        row,
        status=row.status,
        kind="handed_over",
        actor_id=event.member_id,
        member_id=event.member_id,
        buddy_id=event.buddy_id,
        helper_ids=helpers,
        routing_version=event.version,
    )
