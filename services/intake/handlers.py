"""Intake's event consumers: routing's decisions update the request's status and who is on it."""

from typing import Any

from services.contracts.identity import AccountErased
from services.contracts.routing import (
    OfferAccepted,
    OfferDeclined,
    PickupExpected,
    RequestOffered,
    RequestQueued,
    RoutingEvent,
)
from services.intake import privacy, routed, store_heal
from services.platform.db import Conn
from services.platform.inbox import Consumer
from services.platform.runtime import Runtime

ROUTING_SUBJECTS = [
    "secpool.routing.request.offered",
    "secpool.routing.offer.accepted",
    "secpool.routing.offer.declined",
    "secpool.routing.request.queued",
    "secpool.routing.request.pickup_expected",
]


async def on_routing_event(conn: Conn, event: RoutingEvent) -> None:
    match event:
        case RequestOffered():
            await routed.record_offer(conn, event)
        case OfferDeclined():
            await routed.record_decline(conn, event)
        case OfferAccepted():
            await routed.record_acceptance(conn, event)
        case RequestQueued():
            # Waiting in the pool's queue: no change for the requester, but routing has it
            # (the heal sweep leaves it alone).
            await store_heal.note_routed(conn, event.request_id, event.version)
        case PickupExpected():
            await routed.record_pickup(conn, event)
        case _:
            pass


def consumers(rt: Runtime) -> list[Consumer[Any]]:
    return [
        rt.consumer("intake-routing", "ROUTING", ROUTING_SUBJECTS, RoutingEvent, on_routing_event),
        rt.consumer("intake-erasure", "IDENTITY", privacy.ERASED_SUBJECTS, AccountErased, privacy.on_erased),
    ]
