"""Which events become push notices, for whom, saying what (pure, no I/O).

A notice is `{title, body, url, tag, kind}` in the recipient's language: generic text and
ids (in the url and tag) only — never a request's description or a kudos message. Each kind
has its own TTL and Urgency (RFC 8030): an offer is urgent and short-lived, kudos can wait.
"""

from datetime import datetime
from typing import Literal

import msgspec

from pwa.push.events import PushEvent
from services.contracts.intake import RequestStatusChanged
from services.contracts.recognition import KudosGiven, ThanksPrompted
from services.contracts.routing import OfferAccepted, RequestOffered, RequestQueued

Kind = Literal["offer", "request", "kudos", "buddy", "lead_queue", "prompt"]
KINDS: tuple[Kind, ...] = ("offer", "request", "kudos", "buddy", "lead_queue", "prompt")
Urgency = Literal["very-low", "low", "normal", "high"]
HOUR = 3600
DAY = 24 * HOUR


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    """What the service worker shows (sw.js): `url` is a same-origin path."""

    title: str
    body: str
    url: str
    tag: str
    kind: Kind


class Announcement(msgspec.Struct, frozen=True, kw_only=True):
    """One notice for some people: named accounts, and/or the leads of a pool."""

    kind: Kind
    account_ids: tuple[str, ...] = ()
    leads_of_pool: str | None = None
    notices: dict[str, Notice]  # by language; "nl" is the fallback
    ttl: int
    urgency: Urgency
    # The person's channel choice this notice follows (pwa/notify): pushed only to those whose
    # choice for it is push. None: not one of those kinds (muting alone decides).
    choice: str | None = None


_TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "offer": ("New request offered", "A request is waiting for you: open it to accept or decline."),
        "in_progress": ("Your request is being handled", "Someone in the pool is working on it."),
        "waiting_on_requester": ("Your request needs you", "The pool is waiting for something from you."),
        "done": ("Your request is done", "Open it to see the result and say thanks."),
        "cancelled": ("Your request was cancelled", "Open it to see what happened."),
        "kudos": ("You received kudos", "A colleague thanked you on the wall."),
        "buddy": ("You are a buddy", "A colleague is learning on a request and you are their buddy."),
        "lead_queue": ("A request waits for a lead", "Nobody in the pool can take it right now."),
        "prompt": ("Your request is done: say thanks?", "Thank the people who worked on it, in one tap."),
    },
    "nl": {
        "offer": ("Nieuw verzoek aangeboden", "Er wacht een verzoek op je: open het om te accepteren of af te wijzen."),
        "in_progress": ("Je verzoek wordt opgepakt", "Iemand uit de pool werkt eraan."),
        "waiting_on_requester": ("Je verzoek wacht op jou", "De pool heeft iets van je nodig."),
        "done": ("Je verzoek is klaar", "Open het om het resultaat te zien en te bedanken."),
        "cancelled": ("Je verzoek is geannuleerd", "Open het om te zien wat er gebeurde."),
        "kudos": ("Je hebt kudos gekregen", "Een collega bedankte je op de muur."),
        "buddy": ("Je bent buddy", "Een collega leert op een verzoek en jij bent de buddy."),
        "lead_queue": ("Een verzoek wacht op een lead", "Niemand in de pool kan het nu oppakken."),
        "prompt": ("Je verzoek is klaar: even bedanken?", "Bedank wie eraan werkte, met één tik."),
    },
}

# Status changes worth interrupting someone for; "submitted"/"offered" follow a submission
# within moments and the open page shows them live (SSE) anyway.
_STATUS_URGENCY: dict[str, Urgency] = {
    "in_progress": "low",
    "waiting_on_requester": "normal",
    "done": "normal",
    "cancelled": "normal",
}


def _notices(text_key: str, kind: Kind, url: str, tag: str) -> dict[str, Notice]:
    return {
        lang: Notice(title=texts[text_key][0], body=texts[text_key][1], url=url, tag=tag, kind=kind)
        for lang, texts in _TEXT.items()
    }


def announcements(event: PushEvent) -> list[Announcement]:
    """The pushes one event causes (often none)."""
    match event:
        case RequestOffered():
            return [
                Announcement(
                    kind="offer",
                    account_ids=(event.member_id,),
                    ttl=_ttl(event.occurred_at, event.expires_at, HOUR),
                    choice="offered",
                    urgency="high",
                    notices=_notices("offer", "offer", "/offers", f"offer-{event.offer_id}"),
                )
            ]
        case RequestStatusChanged():
            urgency = _STATUS_URGENCY.get(event.status)
            if urgency is None or event.actor_id == event.requester_id:
                return []  # nothing to tell, or the requester did it themselves (the page shows it)
            url = f"/requests/{event.request_id}"
            owners = tuple(
                dict.fromkeys(p for p in (event.requester_id, event.on_behalf_of) if p and p != event.actor_id)
            )
            choice = {"waiting_on_requester": "question", "done": "done"}.get(event.status)
            return [
                Announcement(
                    kind="request",
                    account_ids=owners,
                    ttl=DAY,
                    urgency=urgency,
                    choice=choice,
                    notices=_notices(event.status, "request", url, f"request-{event.request_id}"),
                )
            ]
        case KudosGiven():
            recipients = tuple(dict.fromkeys(r for r in event.recipient_ids if r != event.giver_id))
            if not recipients:
                return []
            return [
                Announcement(
                    kind="kudos",
                    account_ids=recipients,
                    ttl=DAY,
                    urgency="low",
                    choice="thanks",
                    notices=_notices("kudos", "kudos", "/wall", f"kudos-{event.kudos_id}"),
                )
            ]
        case OfferAccepted():
            if not event.buddy_id or event.buddy_id == event.member_id:
                return []
            url = "/offers"  # a member's home: their offers and the work they are on
            return [
                Announcement(
                    kind="buddy",
                    account_ids=(event.buddy_id,),
                    ttl=12 * HOUR,
                    urgency="normal",
                    notices=_notices("buddy", "buddy", url, f"buddy-{event.request_id}"),
                )
            ]
        case RequestQueued():
            if not event.lead_queue:
                return []
            return [
                Announcement(
                    kind="lead_queue",
                    leads_of_pool=event.pool_id,
                    ttl=4 * HOUR,
                    urgency="normal",
                    notices=_notices("lead_queue", "lead_queue", "/queue", f"queue-{event.request_id}"),
                )
            ]
        case ThanksPrompted():
            # Same tag as the request's own notices: it replaces "your request is done".
            url = f"/requests/{event.request_id}"
            return [
                Announcement(
                    kind="prompt",
                    account_ids=(event.requester_id,),
                    urgency="normal",
                    choice="done",
                    ttl=_ttl(event.occurred_at, event.expires_at, DAY),
                    notices=_notices("prompt", "prompt", url, f"request-{event.request_id}"),
                )
            ]
    return []


def _ttl(occurred_at: datetime, expires_at: datetime | None, longest: int) -> int:
    """Until the thing expires (an offer, a prompt), within [60 s, longest]."""
    if expires_at is None:
        return longest
    return max(60, min(longest, int((expires_at - occurred_at).total_seconds())))
