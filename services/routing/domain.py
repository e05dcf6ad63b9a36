"""Routing's pure rules besides the decision itself: how experience raises a level, what the
pool may set in its policy, when a waiting request goes to the lead. No I/O. (Working hours:
shifts.py.)"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec

from services.contracts.routing_api import PolicyFields
from services.routing.decision import Policy, work_factor

MAX_LEVEL = 5
# Every this many completed requests in a skill raise its level by one (as in the simulator).
REQUESTS_PER_LEVEL = 8
# A request nobody could take goes to the lead's queue after waiting this long.
LEAD_QUEUE_AFTER = timedelta(minutes=30)


def apply_change(current: Policy, change: PolicyFields) -> Policy:
    skip = ("why", "weeks")
    updates = {k: v for k, v in msgspec.structs.asdict(change).items() if k not in skip and v is not None}
    return msgspec.structs.replace(current, **updates)


def changed_fields(before: Policy, after: Policy) -> dict[str, tuple[Any, Any]]:
    """What a change changed, field by field: {field: (old, new)} (the history shows it)."""
    old, new = msgspec.structs.asdict(before), msgspec.structs.asdict(after)
    return {k: (old[k], new[k]) for k in new if old.get(k) != new[k]}


def level_after_completion(level: int, completed_in_skill: int) -> int:
    """The skill level after the `completed_in_skill`-th completed request in it."""
    if completed_in_skill > 0 and completed_in_skill % REQUESTS_PER_LEVEL == 0:
        return min(level + 1, MAX_LEVEL)
    return level


def goes_to_lead(queued_at: datetime | None, now: datetime, *, sla_at_risk: bool = False) -> bool:
    """A waiting request escalates when its service level is at risk or it waited too long."""
    return sla_at_risk or (queued_at is not None and now - queued_at >= LEAD_QUEUE_AFTER)


class Held(msgspec.Struct, frozen=True, kw_only=True):
    """One piece of work a member holds: an open offer or accepted work."""

    member_id: str
    skill: str
    work_minutes: float
    accepted_at: datetime | None  # None: offered, not yet accepted


class InHand(msgspec.Struct, frozen=True):
    """A member's work in hand, in minutes at their pace: all of it, and what they accepted."""

    queued: float = 0.0
    accepted: float = 0.0


def work_in_hand(held: Sequence[Held], skills: dict[str, dict[str, int]], now: datetime) -> dict[str, InHand]:
    """Minutes of work each member still has in hand: every piece at their pace in its skill, less
    the time already spent on the piece they accepted first (it is under way)."""
    ordered = sorted(held, key=lambda h: (h.accepted_at is None, h.accepted_at or now))
    found: dict[str, InHand] = {}
    started: set[str] = set()
    for h in ordered:
        work = h.work_minutes * work_factor(skills.get(h.member_id, {}).get(h.skill, 0))
        if h.accepted_at is not None and h.member_id not in started:
            started.add(h.member_id)
            work = max(work - (now - h.accepted_at).total_seconds() / 60, 0.0)
        before = found.get(h.member_id, InHand())
        found[h.member_id] = InHand(before.queued + work, before.accepted + (work if h.accepted_at else 0.0))
    return found
