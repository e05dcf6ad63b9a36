"""When a waiting request will be picked up, as routing expects it: from who may take it, who
is present and on shift, what they already hold, and the decision model (a member takes new
work once their own list is nearly done). Pure: the service announces it, the simulator
measures its error on the suite.

The model plays the queue forward: each member who may take the request is ready at some
moment (now, when their list runs down, or when their next shift opens); the requests ahead
in the queue go to whoever is ready first, then this one. A range, not a minute: work times
vary, so the estimate is widened by the spread the suite measures (SPREAD).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Literal

import msgspec

from services.routing.decision import Candidate, Policy, Routable, accepted, queued, work_factor
from services.routing.shifts import ON_SHIFT

Basis = Literal["now", "queue", "pool_opens", "nobody"]
# The estimate's range as factors of it (from the suite's training seeds: about the middle 80 %
# of actual pick-ups fall inside), and a floor in minutes for short waits.
SPREAD = (0.6, 1.6)
MIN_WIDTH = 15.0
# A request picked up within this many minutes counts as picked up now.
NOW_MINUTES = 5.0


class Expected(msgspec.Struct, frozen=True):
    """Expected pick-up in minutes from now: `minutes` (the estimate) within [earliest, latest]."""

    basis: Basis
    minutes: float | None = None
    earliest: float | None = None
    latest: float | None = None


class Ahead(msgspec.Struct, frozen=True):
    """A request ahead of this one in the pool queue (only its needs matter here)."""

    skill: str
    min_level: int
    language: str
    base_minutes: float


def may_take(c: Candidate, skill: str, min_level: int, language: str) -> bool:
    return language in c.languages and c.skills.get(skill, 0) >= min_level


def opens_in(c: Candidate) -> float | None:
    """Minutes until `c` is on shift: 0 now; off shift, absent or on a holiday, until their next
    shift; None while away (no return time known) or without working hours."""
    if not c.available:
        return None
    if c.shift == ON_SHIFT:
        return 0.0
    if c.shift_left_minutes is None:
        return None
    return c.off_shift_minutes


def _ready_in(c: Candidate, r: Routable, p: Policy, opens: float) -> float:
    """Minutes until `c` would take new work: when their own list has run down to the policy's
    hold (or a place frees up), on shift."""
    held = accepted(c, r)
    # New work is taken on once less than the hold is left (at the hold itself, not yet).
    ready = 0.0 if held < p.hold_after_minutes else held - p.hold_after_minutes + 1.0
    if c.open_count >= c.capacity and c.open_count > 0:
        ready = max(ready, queued(c, r) / c.open_count)
    if opens > 0:
        return opens + ready
    if c.shift_left_minutes is not None and ready > c.shift_left_minutes:
        ready += c.off_shift_minutes
    return ready


def expect(
    r: Routable,
    candidates: Sequence[Candidate],
    policy: Policy,
    ahead: Sequence[Ahead] = (),
    *,
    exclude: frozenset[str] = frozenset(),
) -> Expected:
    """Expected pick-up of `r`, with `ahead` the requests before it in the pool queue."""
    able = [
        (c, opens)
        for c in candidates
        if c.member_id not in exclude
        and may_take(c, r.skill, r.min_level, r.language)
        and (opens := opens_in(c)) is not None
    ]
    if not able:
        return Expected("nobody")
    ready = [(_ready_in(c, r, policy, opens), c.member_id, c) for c, opens in able]
    heapq.heapify(ready)
    # The requests ahead that these members could take go first, each to whoever is ready first.
    # A full pool's queue is long and asks for few kinds of work: who may take a kind is decided once.
    takers: dict[tuple[str, int, str], bool] = {}
    for a in ahead:
        needs = (a.skill, a.min_level, a.language)
        if needs not in takers:
            takers[needs] = any(may_take(c, *needs) for c, _ in able)
        if not takers[needs]:
            continue
        at, member_id, c = heapq.heappop(ready)
        work = a.base_minutes * work_factor(c.skills.get(a.skill, 0))
        heapq.heappush(ready, (at + max(work - policy.hold_after_minutes, work / 2), member_id, c))
    minutes = ready[0][0]
    on_shift = any(opens == 0 for _, opens in able)
    if minutes <= NOW_MINUTES and on_shift:
        return Expected("now", minutes, 0.0, max(NOW_MINUTES, policy.offer_timeout_seconds / 60))
    low, high = minutes * SPREAD[0], max(minutes * SPREAD[1], minutes + MIN_WIDTH)
    basis: Basis = "queue" if on_shift else "pool_opens"
    if not on_shift:
        low = max(low, min(opens for _, opens in able))
    return Expected(basis, minutes, low, high)
