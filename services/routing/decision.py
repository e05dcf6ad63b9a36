"""The routing decision: which member gets the offer for a request, and why (as reason codes).

Pure (stdlib + msgspec, no I/O, no clock): the routing service and the simulator both call
decide(), so a policy behaves the same on a trace as in production.

The secpool policy is a due-date dispatching rule in minutes. Each eligible member costs the
minutes until they would have the request done (the work they hold that comes first, then
this request at their own pace, plus the night if their shift ends before it is done: the
minimum completion time rule), plus what lateness past the due time would cost; in calm
times (plenty of slack) the pool's own preferences shift that a little: a lighter day so far,
the requester's usual member, someone building up the skill. Some calm work goes to a
member learning the skill, with a buddy (a development assignment).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec

from services.routing.shifts import ON_SHIFT, ShiftState

Urgency = Literal["low", "normal", "high"]
Strategy = Literal["secpool", "round_robin", "least_loaded", "most_skilled"]
# Why a member could not take the request (counted on the "why" page, never named).
BLOCKERS = (
    "declined",
    "off_shift",
    "absent",
    "holiday",
    "no_hours",
    "away",
    "language",
    "below_level",
    "at_capacity",
    "busy",
)
# shifts.state → blocker code.
SHIFT_CODES: dict[str, str] = {
    "off shift": "off_shift",
    "absent": "absent",
    "public holiday": "holiday",
    "no working hours": "no_hours",
}
# Why the chosen member got it (with the values each quotes).
BECAUSE = (
    "finishes_soonest",
    "can_start_now",
    "knows_skill",
    "served_requester",
    "light_day",
    "learning_goal",
    "development",
    "buddy",
    "rotation",
    "most_room",
    "highest_level",
    "nobody",
)

# Minutes of work per minute of a request's base time, by the member's level in its skill.
# Level 0 (learning, not yet held) works like level 1.
WORK_FACTOR: tuple[float, ...] = (2.0, 2.0, 1.5, 1.2, 1.0, 0.85)


def work_factor(level: int) -> float:
    return WORK_FACTOR[min(max(level, 0), 5)]


class Policy(msgspec.Struct, frozen=True):
    """The pool's routing policy; the pool itself sets these, management does not.

    The weights say how many minutes of expected completion a preference is worth (see
    _cost); the defaults were tuned with `secpool simulate --suite` on its training seeds.
    """

    skill_weight: float = 0.5
    capacity_weight: float = 1.0
    continuity_weight: float = 0.3
    fairness_weight: float = 4.0
    development_share: float = 0.14  # at most this share of recent assignments
    offer_timeout_seconds: int = 120
    auto_accept: bool = False
    growth_weight: float = 0.2
    strategy: Strategy = "secpool"
    development_min_slack_minutes: float = 240.0
    # A learner takes development work only if they could finish it within this many minutes: fresh
    # questions while the buddy is around, not work parked overnight.
    development_max_finish_minutes: float = 180.0
    # ... and no more than this many minutes after the member who would finish first.
    development_extra_minutes: float = 60.0
    # A buddy needs time to answer questions: development waits while every eligible member has more
    # work queued than this.
    buddy_max_queued_minutes: float = 60.0
    # Preferences count fully with this much slack or more, and not at all without slack.
    pressure_slack_minutes: float = 480.0
    # A member's day counts as full after this many busy minutes (fairness part).
    full_day_minutes: float = 480.0
    # Minutes one unit of a preference weight is worth, and what a minute late costs.
    preference_minutes: float = 30.0
    lateness_weight: float = 2.0
    # Work waits in the pool queue, for whoever is free first, rather than in a member's own list
    # while everyone who may take it has at least this many minutes of accepted work (0: never waits).
    hold_after_minutes: float = 60.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.development_share <= 1.0:
            raise ValueError("development_share must lie between 0 and 1")
        weights = (self.skill_weight, self.capacity_weight, self.continuity_weight, self.fairness_weight)
        if min(*weights, self.growth_weight, self.lateness_weight) < 0:
            raise ValueError("weights may not be negative")
        scales = (self.full_day_minutes, self.pressure_slack_minutes, self.preference_minutes)
        if min(scales) <= 0:
            raise ValueError("the *_minutes scales must be positive")


class Candidate(msgspec.Struct, frozen=True):
    """A member as routing sees them right now."""

    member_id: str
    skills: dict[str, int]
    learning: tuple[str, ...]
    languages: tuple[str, ...]
    capacity: int
    open_count: int
    available: bool  # present: not away or off duty
    busy_minutes_today: float = 0.0
    served_requester: bool = False  # has served this requester before
    # Work this member does before they could start this request; None: estimated from open_count, as
    # if each open request were like this one.
    queued_minutes: float | None = None
    # Of that, the work they accepted (not offers still open); None: all of it.
    accepted_minutes: float | None = None
    shift_left_minutes: float | None = None  # None: shift end unknown
    off_shift_minutes: float = 0.0  # gap between this shift's end and the next shift
    # Working hours, absence and the pool's public holidays (shifts.state): a hard constraint.
    shift: ShiftState = ON_SHIFT


class Routable(msgspec.Struct, frozen=True):
    """The request being routed."""

    request_id: str
    requester: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    slack_minutes: float  # minutes until due minus expected work
    base_minutes: float = 30.0  # work time at level 4


class Reason(msgspec.Struct, frozen=True):
    """One reason, as a code the pages translate, with the values it quotes (minutes, a skill, a level)."""

    code: str
    minutes: float | None = None
    skill: str | None = None
    level: int | None = None
    language: str | None = None


class Scored(msgspec.Struct, frozen=True):
    """How one member fared. Internal to routing: pages and APIs get `Decision.summary()`."""

    member_id: str
    eligible: bool
    cost: float  # minutes-equivalent, lower is better (baselines: their own order)
    reason: str  # a Blocker code, or "eligible" / "learner"
    finish_minutes: float = 0.0


class Decision(msgspec.Struct, frozen=True):
    member_id: str | None
    development: bool
    buddy_id: str | None
    candidates: list[Scored]
    reasons: list[Reason]  # why the chosen member (or, with nobody, why nobody)
    others: dict[str, int] = {}  # the members not chosen, counted per reason code

    def stranded(self) -> bool:
        """Nobody took it and nobody will by just finishing their work: everyone declined, is away, or
        lacks the language or the level. Such a request goes to the lead's queue at once."""
        return self.member_id is None and not (self.others.get("at_capacity") or self.others.get("busy"))

    def why(self) -> str:
        """A plain English line for logs and traces (pages translate `reasons` instead)."""
        said = ", ".join(r.code + ("" if r.minutes is None else f" ({r.minutes:.0f} min)") for r in self.reasons)
        counted = ", ".join(f"{n} {code}" for code, n in sorted(self.others.items()))
        return f"{said or 'no reason'}; others: {counted or 'none'}"


SECPOOL = Policy()
ROUND_ROBIN = Policy(strategy="round_robin", development_share=0.0)
LEAST_LOADED = Policy(strategy="least_loaded", development_share=0.0)
MOST_SKILLED = Policy(strategy="most_skilled", development_share=0.0)
POLICIES: dict[str, Policy] = {
    "round_robin": ROUND_ROBIN,
    "least_loaded": LEAST_LOADED,
    "most_skilled": MOST_SKILLED,
    "secpool": SECPOOL,
}
BASELINES = ("round_robin", "least_loaded", "most_skilled")


def decide(
    request: Routable,
    candidates: Sequence[Candidate],
    policy: Policy,
    *,
    development_so_far: float = 0.0,
    exclude: frozenset[str] = frozenset(),
    rotation_after: str | None = None,
) -> Decision:
    """Pick the member for `request`. `rotation_after` is the member picked last by a round_robin policy (the
    caller keeps that state); other strategies ignore it."""
    blocked: list[Scored] = []
    eligible: list[Candidate] = []
    learners: list[Candidate] = []
    develop = policy.strategy == "secpool" and _may_develop(request, policy, development_so_far)
    for c in candidates:
        why_not = blocker(c, request, exclude)
        if why_not is None:
            eligible.append(c)
            if develop and request.skill in c.learning:
                learners.append(c)
        elif why_not == "below_level" and develop and request.skill in c.learning and c.open_count < c.capacity:
            learners.append(c)
        else:
            blocked.append(Scored(c.member_id, False, 0.0, why_not))
    eligible_ids = {c.member_id for c in eligible}
    blocked += [Scored(c.member_id, False, 0.0, "below_level") for c in learners if c.member_id not in eligible_ids]
    if not eligible:
        return Decision(None, False, None, blocked, [Reason("nobody", skill=request.skill)], _count(blocked))
    if policy.strategy == "secpool":
        ranked = [_scored(c, request, policy) for c in eligible]
    else:
        ranked = _baseline_ranking(policy.strategy, eligible, request, rotation_after)
    ranked.sort(key=_rank_key)
    if learners:
        best = min(s.finish_minutes for s in ranked)
        development = _develop(request, policy, eligible, learners, best)
        if development is not None:
            learner_id = development.member_id
            others = [s for s in ranked if s.member_id != learner_id]
            others += [s for s in blocked if s.member_id != learner_id]
            return msgspec.structs.replace(
                development, candidates=development.candidates + others, others=_count(others)
            )
    winner = ranked[0]
    chosen = next(c for c in eligible if c.member_id == winner.member_id)
    if policy.strategy == "secpool" and 0 < policy.hold_after_minutes <= min(accepted(c, request) for c in eligible):
        held = [Scored(s.member_id, False, 0.0, "busy") for s in ranked]
        return Decision(None, False, None, held + blocked, [Reason("all_busy")], _count(held + blocked))
    reasons = _reasons(winner, chosen, request, policy)
    others = ranked[1:] + blocked
    return Decision(winner.member_id, False, None, ranked + blocked, reasons, _count(others))


def _rank_key(s: Scored) -> tuple[float, str]:
    return (s.cost, s.member_id)


def _count(scored: Sequence[Scored]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in scored:
        counts[s.reason] = counts.get(s.reason, 0) + 1
    return counts


def blocker(c: Candidate, r: Routable, exclude: frozenset[str]) -> str | None:
    """Why `c` may not take `r` (a code from BLOCKERS), or None."""
    if c.member_id in exclude:
        return "declined"
    if c.shift != ON_SHIFT:
        return SHIFT_CODES[c.shift]
    if not c.available:
        return "away"
    if r.language not in c.languages:
        return "language"
    if c.skills.get(r.skill, 0) < r.min_level:
        return "below_level"
    if c.open_count >= c.capacity:
        return "at_capacity"  # last: it says "could take it, but is full"
    return None


def _may_develop(r: Routable, p: Policy, development_so_far: float) -> bool:
    return (
        r.urgency != "high"
        and r.slack_minutes >= p.development_min_slack_minutes
        and development_so_far < p.development_share
    )


def _develop(
    r: Routable, p: Policy, eligible: list[Candidate], learners: list[Candidate], best: float
) -> Decision | None:
    """A development assignment to the learner who would finish first, if they can finish well in time, not
    much later than the fastest member would (`best` minutes), and a colleague who holds the skill has time to
    be their buddy."""
    limit = min(r.slack_minutes, p.development_max_finish_minutes, best + p.development_extra_minutes)
    finish, learner = min(((finish_minutes(c, r), c) for c in learners), key=lambda t: (t[0], t[1].member_id))
    if finish > limit:
        return None
    level = learner.skills.get(r.skill, 0)
    buddies = [
        c
        for c in eligible
        if c.member_id != learner.member_id
        and c.skills.get(r.skill, 0) > level
        and queued(c, r) <= p.buddy_max_queued_minutes
    ]
    if not buddies:
        return None
    # The buddy answers questions, so spare time matters more than a top level.
    buddy = min(buddies, key=lambda c: (queued(c, r), -c.skills.get(r.skill, 0), c.member_id))
    reasons = [
        Reason("development", minutes=round(finish), skill=r.skill),
        Reason("buddy", skill=r.skill, level=buddy.skills.get(r.skill, 0)),
    ]
    chosen = Scored(learner.member_id, True, finish, "learner", finish)
    return Decision(learner.member_id, True, buddy.member_id, [chosen], reasons)


def queued(c: Candidate, r: Routable) -> float:
    """Minutes of work `c` does before they could start `r`."""
    if c.queued_minutes is not None:
        return c.queued_minutes
    return c.open_count * r.base_minutes * work_factor(c.skills.get(r.skill, 0))


def accepted(c: Candidate, r: Routable) -> float:
    """Minutes of work `c` accepted and still has to do (the hold counts these)."""
    return queued(c, r) if c.accepted_minutes is None else c.accepted_minutes


def finish_minutes(c: Candidate, r: Routable) -> float:
    """When `c` would have `r` done: the work before it, then `r` at their pace, plus the time off
    shift if their shift ends first."""
    need = queued(c, r) + r.base_minutes * work_factor(c.skills.get(r.skill, 0))
    if c.shift_left_minutes is not None and need > c.shift_left_minutes:
        need += c.off_shift_minutes
    return need


def _scored(c: Candidate, r: Routable, p: Policy) -> Scored:
    finish = finish_minutes(c, r)
    due_in = r.slack_minutes + r.base_minutes
    cost = p.capacity_weight * finish + p.lateness_weight * max(0.0, finish - due_in)
    calm = min(1.0, max(0.0, r.slack_minutes / p.pressure_slack_minutes)) * p.preference_minutes
    if calm > 0:
        level = c.skills.get(r.skill, 0)
        cost += calm * (
            p.fairness_weight * min(1.0, c.busy_minutes_today / p.full_day_minutes)
            - p.continuity_weight * c.served_requester
            - p.growth_weight * (r.skill in c.learning)
            - p.skill_weight * (level - 3) / 2
        )
    return Scored(c.member_id, True, cost, "eligible", finish)


def _baseline_ranking(
    strategy: Strategy, eligible: list[Candidate], r: Routable, rotation_after: str | None
) -> list[Scored]:
    ranked: list[Scored] = []
    for c in eligible:
        level = c.skills.get(r.skill, 0)
        spare = c.capacity - c.open_count
        if strategy == "round_robin":
            # Members after the last pick come first, in id order; then the wrap-around.
            wraps = rotation_after is not None and c.member_id <= rotation_after
            cost = 1.0 if wraps else 0.0
        elif strategy == "least_loaded":
            cost = -float(spare)
        else:  # most_skilled: the highest level; among equals, the one with most room
            cost = -(level + spare / 1000.0)
        ranked.append(Scored(c.member_id, True, cost, "eligible", finish_minutes(c, r)))
    return ranked


def _reasons(winner: Scored, c: Candidate, r: Routable, p: Policy) -> list[Reason]:
    level = c.skills.get(r.skill, 0)
    if p.strategy == "round_robin":
        return [Reason("rotation")]
    if p.strategy == "least_loaded":
        return [Reason("most_room", level=c.capacity - c.open_count)]
    if p.strategy == "most_skilled":
        return [Reason("highest_level", skill=r.skill, level=level)]
    reasons = [Reason("finishes_soonest", minutes=round(winner.finish_minutes))]
    if queued(c, r) < 1:
        reasons.append(Reason("can_start_now"))
    if level >= 4:
        reasons.append(Reason("knows_skill", skill=r.skill, level=level))
    if c.served_requester:
        reasons.append(Reason("served_requester"))
    if c.busy_minutes_today < p.full_day_minutes / 4:
        reasons.append(Reason("light_day"))
    if r.skill in c.learning:
        reasons.append(Reason("learning_goal", skill=r.skill))
    return reasons
