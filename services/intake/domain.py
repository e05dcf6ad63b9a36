"""Intake's pure rules: the request lifecycle, service levels, and the queue model. No I/O.

Lifecycle: submitted → offered → in_progress ⇄ waiting_on_requester → done, or cancelled
(by the requester before work starts, by a lead at any time). Routing's events move a request
into and out of `offered` and into `in_progress`; the member on it moves it on from there.
"""

from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

import msgspec

from services.contracts.intake_api import QueueSpot

Status = Literal["submitted", "offered", "in_progress", "waiting_on_requester", "done", "cancelled"]
Urgency = Literal["low", "normal", "high"]

# Urgency scales the type's service levels: urgent work is due sooner.
URGENCY_FACTOR: dict[str, float] = {"low": 2.0, "normal": 1.0, "high": 0.5}

TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"offered", "in_progress", "cancelled"}),
    "offered": frozenset({"submitted", "offered", "in_progress", "cancelled"}),
    "in_progress": frozenset({"waiting_on_requester", "done", "cancelled"}),
    "waiting_on_requester": frozenset({"in_progress", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
NOT_STARTED = frozenset({"submitted", "offered"})
CLOSED = frozenset({"done", "cancelled"})

# The steps the member on a request takes themselves, and the timeline entry each one makes.
MEMBER_STEPS: dict[tuple[str, str], str] = {
    ("in_progress", "waiting_on_requester"): "question_asked",
    ("waiting_on_requester", "in_progress"): "resumed",
    ("in_progress", "done"): "done",
}


class TransitionRefused(Exception):
    """An illegal lifecycle step; the message is shown to the person (HTTP 409).
    Kept here (not in platform.errors) so the domain stays free of web concerns."""


class ServiceLevel(msgspec.Struct, frozen=True):
    pickup_minutes: int
    complete_minutes: int


def _words(status: str) -> str:
    return status.replace("_", " ")


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(f"a request that is {_words(current)} cannot become {_words(target)}")


def check_member_step(current: str, target: str) -> str:
    """The member on the request moves it on; returns the timeline kind of the step."""
    if target == "cancelled":
        raise TransitionRefused("only the requester (before work starts) or the pool's lead can cancel a request")
    if current == target:
        raise TransitionRefused(f"the request is already {_words(current)}")
    check_transition(current, target)
    if (current, target) not in MEMBER_STEPS:
        if current in NOT_STARTED:
            raise TransitionRefused("the request has not been picked up yet: accept its offer first")
        raise TransitionRefused(f"a request that is {_words(current)} cannot become {_words(target)}")
    return MEMBER_STEPS[(current, target)]


def check_cancel(current: str, *, by_lead: bool) -> None:
    if current in CLOSED:
        raise TransitionRefused(f"the request is already {current}")
    if not by_lead and current not in NOT_STARTED:
        raise TransitionRefused("work has started: only the pool's lead can cancel it now")


def check_conversation_open(current: str) -> None:
    if current in CLOSED:
        raise TransitionRefused(f"the request is {current}: its conversation is closed")


def check_rating(current: str, *, already_rated: bool) -> None:
    if current != "done":
        raise TransitionRefused(f"a request can be rated once it is done (it is {_words(current)})")
    if already_rated:
        raise TransitionRefused("this request has already been rated; a rating is given once")


# --- Service levels -----------------------------------------------------------------------


def due_times(submitted_at: datetime, level: ServiceLevel, urgency: str) -> tuple[datetime, datetime]:
    """When the request should be picked up and done, by the type's levels and the urgency."""
    factor = URGENCY_FACTOR[urgency]
    pickup = submitted_at + timedelta(minutes=level.pickup_minutes * factor)
    done = submitted_at + timedelta(minutes=level.complete_minutes * factor)
    return pickup, done


def at_risk_from(submitted_at: datetime, due_at: datetime, warning_share: float) -> datetime:
    """A level is at risk in the last `warning_share` of its window (0.25: the last quarter).
    store_sla.claim_at_risk applies the same rule in SQL."""
    return due_at - (due_at - submitted_at) * warning_share


def resumed_done_due(done_due_at: datetime, waiting_since: datetime | None, now: datetime) -> datetime:
    """The completion clock stops while the request waits on its requester: the time spent
    waiting for an answer is added to the due time when the work resumes."""
    if waiting_since is None or now <= waiting_since:
        return done_due_at
    return done_due_at + (now - waiting_since)


# --- The queue model ------------------------------------------------------------------------
#
# Intake does not know the members or their capacity; it knows what the pool is doing. A
# request only waits when every member who could take it is full, so while requests wait the
# pool's parallel work — the requests in progress or waiting on their requester, each holding
# one slot of a member's capacity — *is* the pool's capacity `c`. A slot frees when its work
# is done, on average `d` minutes after pick-up (the pool's recent pick-up → done times; with
# too few of those, the lead's work estimates of the busy requests' types). So a slot frees
# every d / c minutes, and the request at position k in the queue is expected to be picked up
# k · d / c minutes from now. Without a busy slot (nobody working, e.g. before the shift) or a
# duration there is no estimate and the type's service level (the pick-up due time) is shown.
# The queue order mirrors routing's: most urgent first, then oldest first.

URGENCY_RANK: dict[str, int] = {"high": 0, "normal": 1, "low": 2}
MIN_OBSERVED = 3  # done requests needed before observed durations replace the estimates


class Waiting(msgspec.Struct, frozen=True):
    request_id: UUID
    urgency: str
    submitted_at: datetime
    pickup_due_at: datetime


class PoolLoad(msgspec.Struct, frozen=True):
    busy_slots: int  # requests in progress or waiting on their requester
    observed_minutes: float | None = None  # mean pick-up → done of recent done requests
    observed_count: int = 0
    estimated_minutes: float | None = None  # mean work estimate of the busy requests' types


def queue_order(waiting: list[Waiting]) -> list[Waiting]:
    return sorted(waiting, key=lambda w: (URGENCY_RANK.get(w.urgency, 1), w.submitted_at, str(w.request_id)))


def slot_minutes(load: PoolLoad) -> float | None:
    """How long a pick-up holds a slot, observed if we can, else estimated."""
    if load.observed_minutes is not None and load.observed_count >= MIN_OBSERVED:
        return load.observed_minutes
    return load.estimated_minutes


def minutes_between_pickups(load: PoolLoad) -> float | None:
    minutes = slot_minutes(load)
    if load.busy_slots <= 0 or minutes is None or minutes <= 0:
        return None
    return minutes / load.busy_slots


def spot_at(position: int, waiting: int, pickup_due_at: datetime, load: PoolLoad, now: datetime) -> QueueSpot:
    """The spot of the request at `position` of `waiting`: picked up after `position` more
    pick-ups, or by its service level when nobody is working to measure a pace by."""
    interval = minutes_between_pickups(load)
    if interval is None:
        return QueueSpot(position, waiting, max(pickup_due_at, now), "service_level")
    return QueueSpot(position, waiting, now + timedelta(minutes=position * interval), "queue")


def queue_spots(waiting: list[Waiting], load: PoolLoad, now: datetime) -> dict[UUID, QueueSpot]:
    """Each waiting request's place in its pool's queue and when it should be picked up."""
    ordered = queue_order(waiting)
    return {
        w.request_id: spot_at(position, len(ordered), w.pickup_due_at, load, now)
        for position, w in enumerate(ordered, start=1)
    }
