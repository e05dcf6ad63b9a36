"""Events published by routing: offers, assignments and who is on a request.

`version` here is routing's own per-request counter (the assignment's life), independent
of intake's request version.
"""

from datetime import datetime

from services.contracts.base import Event


class RequestOffered(Event, tag="secpool.routing.request.offered", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    offer_id: str
    member_id: str
    expires_at: datetime
    development: bool = False
    buddy_id: str | None = None
    why: str = ""


class OfferAccepted(Event, tag="secpool.routing.offer.accepted", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    offer_id: str
    member_id: str
    buddy_id: str | None = None
    development: bool = False


class OfferDeclined(Event, tag="secpool.routing.offer.declined", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    offer_id: str
    member_id: str
    reason: str = ""
    expired: bool = False


class RequestQueued(Event, tag="secpool.routing.request.queued", frozen=True, kw_only=True):
    """Nobody eligible right now: the request waits in the pool queue (or the lead's)."""

    request_id: str
    version: int
    pool_id: str
    lead_queue: bool = False
    why: str = ""


RoutingEvent = RequestOffered | OfferAccepted | OfferDeclined | RequestQueued
