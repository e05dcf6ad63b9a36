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
    """The work a member holds in one skill, summed: open offers and accepted work, in the
    requests' own minutes (the store sums them, so a long queue is one row per skill)."""

    member_id: str
    skill: str
    minutes: float  # offered and accepted
    accepted_minutes: float


class Started(msgspec.Struct, frozen=True, kw_only=True):
    """The piece a member accepted first: it is under way, so the time since counts as done."""

    member_id: str
    skill: str
    work_minutes: float
    accepted_at: datetime


class InHand(msgspec.Struct, frozen=True):
    """A member's work in hand, in minutes at their pace: all of it, and what they accepted."""

    queued: float = 0.0
    accepted: float = 0.0


def work_in_hand(
    held: Sequence[Held], started: Sequence[Started], skills: dict[str, dict[str, int]], now: datetime
) -> dict[str, InHand]:
    """Minutes of work each member still has in hand: every piece at their pace in its skill, less
    the time already spent on the piece they accepted first (it is under way)."""

    def pace(member_id: str, skill: str) -> float:
        return work_factor(skills.get(member_id, {}).get(skill, 0))

    found: dict[str, InHand] = {}
    for h in held:
        before = found.get(h.member_id, InHand())
        factor = pace(h.member_id, h.skill)
        found[h.member_id] = InHand(before.queued + h.minutes * factor, before.accepted + h.accepted_minutes * factor)
    for s in started:
        before = found.get(s.member_id, InHand())
        done = min(s.work_minutes * pace(s.member_id, s.skill), max((now - s.accepted_at).total_seconds() / 60, 0.0))
        found[s.member_id] = InHand(max(before.queued - done, 0.0), max(before.accepted - done, 0.0))
    return found
