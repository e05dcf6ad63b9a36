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
    """A request ahead of this one in the pool queue (only its needs matter here); or, past the
    first PLAYED, all the rest with the same needs: `count` of them, `base_minutes` in all."""

    skill: str
    min_level: int
    language: str
    base_minutes: float
    count: int = 1


# The requests ahead played forward one by one; the rest of a long queue is shared out in bulk
# among who may take it (its order hardly moves an estimate that far out), so an arrival in a
# snowed-under pool costs about the same at 500 or 5,000 waiting.
PLAYED = 200
MIN_STEP = 0.01  # minutes: a request of no minutes still takes a moment, so the shares stay finite


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


def _takes(c: Candidate, skill: str, base_minutes: float, p: Policy) -> float:
    """How much later `c` is ready for more after taking one request of `base_minutes`."""
    work = base_minutes * work_factor(c.skills.get(skill, 0))
    return max(work - p.hold_after_minutes, work / 2)


def _shared_out(
    ready: list[tuple[float, str, Candidate]], group: Ahead, p: Policy
) -> list[tuple[float, str, Candidate]]:
    """`group`'s requests shared out as whoever is ready first would take them, in bulk: the
    members who may take them fill up to one common moment (a faster one takes more), the
    moment by which they have taken `group.count` between them."""
    each = group.base_minutes / group.count
    takers, others = [], []
    for at, member_id, c in ready:
        if may_take(c, group.skill, group.min_level, group.language):
            takers.append((at, member_id, c, max(_takes(c, group.skill, each, p), MIN_STEP)))
        else:
            others.append((at, member_id, c))
    # With the first k members (by ready time) taking them all, the level is (n + Σ at/step) / Σ 1/step;
    # a member ready after that level takes none.
    rate = base = 0.0
    for at, _, _, step in sorted(takers, key=lambda t: t[0]):
        if rate and (group.count + base) / rate <= at:
            break
        rate, base = rate + 1 / step, base + at / step
    level = (group.count + base) / rate
    moved = [(max(at, level), member_id, c) for at, member_id, c, _ in takers] + others
    heapq.heapify(moved)
    return moved


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
    takers: dict[tuple[str, int, str], int] = {}
    rest: list[Ahead] = []
    for a in ahead:
        needs = (a.skill, a.min_level, a.language)
        if needs not in takers:
            takers[needs] = sum(1 for c, _ in able if may_take(c, *needs))
        if not takers[needs]:
            continue
        if a.count > 1:
            rest.append(a)
            continue
        at, member_id, c = heapq.heappop(ready)
        heapq.heappush(ready, (at + _takes(c, a.skill, a.base_minutes, policy), member_id, c))
    # The rest of a long queue, the work fewest may take first: those few are busy with it, and
    # the work more may take goes to the others, as playing it forward would have it.
    for group in sorted(rest, key=lambda g: takers[(g.skill, g.min_level, g.language)]):
        ready = _shared_out(ready, group, policy)
    minutes = ready[0][0]
    on_shift = any(opens == 0 for _, opens in able)
    if minutes <= NOW_MINUTES and on_shift:
        return Expected("now", minutes, 0.0, max(NOW_MINUTES, policy.offer_timeout_seconds / 60))
    low, high = minutes * SPREAD[0], max(minutes * SPREAD[1], minutes + MIN_WIDTH)
    basis: Basis = "queue" if on_shift else "pool_opens"
    if not on_shift:
        low = max(low, min(opens for _, opens in able))
    return Expected(basis, minutes, low, high)
