"""Who may see which live signal (pure, no I/O): one event, one viewer → the SSE signals
for that viewer (see the table in pwa/live/__init__.py)."""

import msgspec

from pwa.push.events import LiveEvent
from pwa.records import Account
from services.contracts.intake import AttachmentAdded, RequestCommented, RequestEdited, RequestStatusChanged
from services.contracts.recognition import KudosGiven, KudosReacted, ThanksPrompted
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered, RequestQueued


class Signal(msgspec.Struct, frozen=True):
    event: str
    data: str


RESYNC = Signal("resync", "")
WAITING = ("submitted", "offered")  # the pool queue: requests nobody has picked up yet


def signals_for(event: LiveEvent, viewer: Account) -> list[Signal]:
    match event:
        case RequestStatusChanged():
            signals = []
            if viewer.id in (event.requester_id, event.member_id, event.on_behalf_of, event.buddy_id):
                signals += [
                    Signal(f"request-{event.request_id}", event.request_id),
                    Signal("request", event.request_id),
                ]
            if event.previous in WAITING and event.status not in WAITING and event.pool_id in viewer.pools:
                signals.append(Signal("pool-queue", event.pool_id))  # positions in the queue moved up
            return signals
        case RequestCommented():
            # A new message on the conversation: the people on the request re-fetch it.
            if viewer.id in (event.requester_id, event.member_id, event.on_behalf_of):
                return [Signal(f"request-{event.request_id}", event.request_id)]
        case AttachmentAdded() | RequestEdited():
            # A file added, or the request corrected before pick-up: the people on it re-fetch it;
            # an edit can move the request in its pool's queue (urgency).
            signals = []
            if viewer.id in (event.requester_id, event.member_id, event.on_behalf_of):
                signals.append(Signal(f"request-{event.request_id}", event.request_id))
            if isinstance(event, RequestEdited) and event.member_id is None and event.pool_id in viewer.pools:
                signals.append(Signal("pool-queue", event.pool_id))
            return signals
        case RequestOffered() | OfferAccepted() | OfferDeclined():
            if viewer.id == event.member_id:
                return [Signal("offer", event.offer_id)]
        case RequestQueued():
            if event.lead_queue and viewer.has("lead") and event.pool_id in viewer.pools:
                return [Signal("queue", event.request_id)]
        case KudosGiven():
            return [Signal("kudos", event.kudos_id)]
        case KudosReacted():
            # Reactions are public like the wall: an open wall shows the new counts.
            return [Signal(f"kudos-{event.kudos_id}", event.kudos_id)]
        case ThanksPrompted():
            if viewer.id == event.requester_id:
                return [Signal("prompt", event.prompt_id)]
    return []
