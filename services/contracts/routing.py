"""Events published by routing: offers, assignments and who is on a request.

`version` here is routing's own per-request counter (the assignment's life), independent
of intake's request version.
"""

from datetime import datetime

import msgspec

from services.contracts.base import Event


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    """Why routing did what it did, as a code the pages translate, with the values it quotes."""

    code: str
    minutes: float | None = None
    skill: str | None = None
    level: int | None = None
    language: str | None = None


class RequestOffered(Event, tag="secpool.routing.request.offered", frozen=True, kw_only=True):
    """Offered to one member until `expires_at`: also the requester's expected pick-up ("now",
    from `occurred_at` to `expires_at`; no PickupExpected is sent for it)."""

    request_id: str
    version: int
    pool_id: str
    offer_id: str
    member_id: str
    expires_at: datetime
    development: bool = False
    buddy_id: str | None = None
    why: str = ""  # routing's own words (English, codes): pages translate `reasons`
    reasons: list[Reason] = []  # noqa: RUF012 (msgspec copies mutable defaults); why this member only


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
    reasons: list[Reason] = []  # noqa: RUF012 (the requester's short reason: nobody, all_busy)
    counts: dict[str, int] = {}  # noqa: RUF012 (members per reason, never who)


class PickupExpected(Event, tag="secpool.routing.request.pickup_expected", frozen=True, kw_only=True):
    """When routing expects a waiting request to be picked up, announced as it changes (an
    offer's own "now" comes with RequestOffered).

    basis: "now", "queue" (after the work ahead), "pool_opens" (nobody who can take it is on
    shift: when they start), "lead" (nobody can take it: the lead's queue; no time).
    """

    request_id: str
    version: int
    pool_id: str
    basis: str
    earliest_at: datetime | None = None
    latest_at: datetime | None = None
    reason: str = ""  # the short reason for the requester, a code the pages translate


RoutingEvent = RequestOffered | OfferAccepted | OfferDeclined | RequestQueued | PickupExpected


class ApiKeyUsed(Event, tag="secpool.routing.api_key.used", frozen=True, kw_only=True):
    """An integration's API key was used on routing (said at most once a minute per key), so the
    pwa's list of keys shows when each was last used. `occurred_at` is the use."""

    key_id: str
