"""Intake's pure rules: the request lifecycle, service-level due times. No I/O.

Lifecycle: submitted → offered → in_progress ⇄ waiting_on_requester → done, or cancelled
(by the requester before work starts, by a lead at any time).
"""

from datetime import datetime, timedelta
from typing import Literal

import msgspec

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


class TransitionRefused(Exception):
    """An illegal lifecycle step; the message is shown to the person (HTTP 409).
    Kept here (not in platform.errors) so the domain stays free of web concerns."""


class ServiceLevel(msgspec.Struct, frozen=True):
    pickup_minutes: int
    complete_minutes: int


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(
            f"a request that is {current.replace('_', ' ')} cannot become {target.replace('_', ' ')}"
        )


def check_cancel(current: str, *, by_lead: bool) -> None:
    if current in ("done", "cancelled"):
        raise TransitionRefused(f"the request is already {current}")
    if not by_lead and current not in NOT_STARTED:
        raise TransitionRefused("work has started: only the pool's lead can cancel it now")


def due_times(submitted_at: datetime, level: ServiceLevel, urgency: str) -> tuple[datetime, datetime]:
    """When the request should be picked up and done, by the type's levels and the urgency."""
    factor = URGENCY_FACTOR[urgency]
    pickup = submitted_at + timedelta(minutes=level.pickup_minutes * factor)
    done = submitted_at + timedelta(minutes=level.complete_minutes * factor)
    return pickup, done
