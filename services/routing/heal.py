"""Intake announced a request again that routing already has (intake's heal sweep: it never
saw routing's answer). Routing does not route it twice; it announces its current state again
(same version, new event id), so intake catches up. Logged and counted as a heal."""

from datetime import UTC, datetime
from uuid import uuid4

from services.contracts.base import Event
from services.contracts.routing import OfferAccepted, RequestOffered, RequestQueued
from services.platform import healing, outbox
from services.platform.db import Conn
from services.routing import store


async def reannounce(conn: Conn, request_id: str) -> None:
    req = await store.lock_request(conn, request_id)
    if req is None or req["state"] in ("done", "cancelled"):
        return
    common = {
        "event_id": uuid4(),
        "occurred_at": datetime.now(UTC),
        "request_id": request_id,
        "version": req["version"],
        "pool_id": req["pool_id"],
    }
    offer = await store.live_offer(conn, request_id)
    event: Event
    if offer is None:
        event = RequestQueued(**common, lead_queue=bool(req["lead_queue"]))
    elif offer["status"] == "accepted":
        event = OfferAccepted(
            **common,
            offer_id=str(offer["id"]),
            member_id=offer["member_id"],
            buddy_id=offer["buddy_id"],
            development=offer["development"],
        )
    else:
        event = RequestOffered(
            **common,
            offer_id=str(offer["id"]),
            member_id=offer["member_id"],
            expires_at=offer["expires_at"],
            development=offer["development"],
            buddy_id=offer["buddy_id"],
        )
    await outbox.add(conn, event)
    what = "intake asked again about a request routing has"
    healing.record("routing", "reannounced", what, request_id=request_id, state=req["state"])
