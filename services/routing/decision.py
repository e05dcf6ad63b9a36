"""The routing decision: which member gets the offer for a request, and why.

Pure (stdlib + msgspec, no I/O, no clock): the routing service and the simulator both call
decide(), so a policy behaves the same on a trace as in production.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec

from services.routing.shifts import ON_SHIFT, ShiftState

Urgency = Literal["low", "normal", "high"]
Strategy = Literal["secpool", "round_robin", "least_loaded", "most_skilled"]

# Minutes of work per minute of a request's base time, by the member's level in its skill.
# Level 0 (learning, not yet held) works like level 1.
WORK_FACTOR: tuple[float, ...] = (2.0, 2.0, 1.5, 1.2, 1.0, 0.85)
_FASTEST, _SLOWEST = WORK_FACTOR[5], WORK_FACTOR[1]


def work_factor(level: int) -> float:
    return WORK_FACTOR[min(max(level, 0), 5)]


class Policy(msgspec.Struct, frozen=True):
    """The pool's routing policy; the pool itself sets these, management does not.

    The defaults were tuned with `secpool simulate` on generated two-week traces.
    """

    skill_weight: float = 0.5
    capacity_weight: float = 3.0
    continuity_weight: float = 0.3
    fairness_weight: float = 3.0
    development_share: float = 0.15  # at most this share of recent assignments
    offer_timeout_seconds: int = 120
    auto_accept: bool = False
    # Small on purpose: learners who get all the normal work in their learning skill outgrow development
    # assignments within days, and the share dries up.
    growth_weight: float = 0.2
    strategy: Strategy = "secpool"
    development_min_slack_minutes: float = 240.0
    # A learner takes development work only if they could finish it within this many minutes: fresh
    # questions while the buddy is around, not work parked overnight.
    development_max_finish_minutes: float = 240.0
    # A buddy needs time to answer questions: development waits while every eligible member has more
    # work queued than this.
    buddy_max_queued_minutes: float = 60.0
    # The capacity part is 1 for a member who could finish at once, and halves when they would finish
    # this many minutes from now.
    finish_scale_minutes: float = 60.0
    # Requests with less slack than this lean towards the member who finishes first.
    pressure_slack_minutes: float = 480.0
    # A member's day counts as full after this many busy minutes (fairness part).
    full_day_minutes: float = 480.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.development_share <= 1.0:
            raise ValueError("development_share must lie between 0 and 1")
        weights = (self.skill_weight, self.capacity_weight, self.continuity_weight, self.fairness_weight)
        if min(*weights, self.growth_weight) < 0:
            raise ValueError("weights may not be negative")
        scales = (self.finish_scale_minutes, self.full_day_minutes, self.pressure_slack_minutes)
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


class Scored(msgspec.Struct, frozen=True):
    member_id: str
    eligible: bool
    score: float
    parts: dict[str, float]
    reason: str


class Decision(msgspec.Struct, frozen=True):
    member_id: str | None
    development: bool
    buddy_id: str | None
    candidates: list[Scored]
    why: str


SECPOOL = Policy()
ROUND_ROBIN = Policy(strategy="round_robin", development_share=0.0)
LEAST_LOADED = Policy(strategy="least_loaded", development_share=0.0)
MOST_SKILLED = Policy(strategy="most_skilled", development_share=0.0)
POLICIES: dict[str, Policy] = {
    "round_robin": ROUND_ROBIN, "least_loaded": LEAST_LOADED, "most_skilled": MOST_SKILLED, "secpool": SECPOOL,
}  # fmt: skip


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
    for c in candidates:
        why_not = _blocker(c, request, exclude)
        if why_not is None:
            eligible.append(c)
        else:
            if why_not.startswith("below") and request.skill in c.learning:
                learners.append(c)
            blocked.append(Scored(c.member_id, False, 0.0, {}, why_not))
    if not eligible:
        return Decision(None, False, None, blocked, _nobody(request, blocked))

    if _may_develop(request, policy, development_so_far) and learners:
        development = _develop(request, policy, eligible, learners, blocked)
        if development is not None:
            return development

    if policy.strategy == "secpool":
        ranked = [_weighed(c, request, policy, growth=False) for c in eligible]
    else:
        ranked = _baseline_ranking(policy.strategy, eligible, request, rotation_after)
    ranked.sort(key=_rank_key)
    winner = ranked[0]
    return Decision(winner.member_id, False, None, ranked + blocked, _why(winner, request, policy))


def _rank_key(s: Scored) -> tuple[float, str]:
    return (-s.score, s.member_id)


def _blocker(c: Candidate, r: Routable, exclude: frozenset[str]) -> str | None:
    """Why `c` may not take `r`, as a phrase that also reads well counted ("3 off duty")."""
    if c.member_id in exclude:
        return "declined or let the offer lapse"
    if c.shift != ON_SHIFT:
        return c.shift  # off shift, absent, public holiday, no working hours
    if not c.available:
        return "off duty"
    if c.open_count >= c.capacity:
        return "at capacity"
    if r.language not in c.languages:
        return f"not speaking {r.language}"
    if c.skills.get(r.skill, 0) < r.min_level:
        return f"below {r.skill} level {r.min_level}"
    return None


def _may_develop(r: Routable, p: Policy, development_so_far: float) -> bool:
    return (
        r.urgency != "high"
        and r.slack_minutes >= p.development_min_slack_minutes
        and development_so_far < p.development_share
    )


def _develop(
    r: Routable, p: Policy, eligible: list[Candidate], learners: list[Candidate], blocked: list[Scored]
) -> Decision | None:
    """A development assignment to the best learner who can still finish in time."""
    ranked = [_weighed(c, r, p, growth=True) for c in learners]
    limit = min(r.slack_minutes, p.development_max_finish_minutes)
    in_time = sorted((s for s in ranked if s.parts["finish_minutes"] <= limit), key=_rank_key)
    if not in_time:
        return None
    buddies = [c for c in eligible if _queued(c, r) <= p.buddy_max_queued_minutes]
    if not buddies:
        return None
    learner = in_time[0]
    # The buddy answers questions, so spare time matters more than a top level.
    buddy = min(buddies, key=lambda c: (_queued(c, r), -c.skills.get(r.skill, 0), c.member_id))
    picked = {s.member_id for s in in_time}
    late = [
        Scored(s.member_id, False, 0.0, s.parts, "learning, but would not finish in time")
        for s in ranked
        if s.member_id not in picked
    ]
    learner_ids = {s.member_id for s in ranked}
    peers = sorted((_weighed(c, r, p, growth=False) for c in eligible), key=_rank_key)
    others = [s for s in blocked if s.member_id not in learner_ids]
    why = (
        f"Development assignment: {learner.member_id} is learning {r.skill} and can finish well within the "
        f"slack (about {learner.parts['finish_minutes']:.0f} of {r.slack_minutes:.0f} min); "
        f"{buddy.member_id} ({r.skill} level {buddy.skills.get(r.skill, 0)}) is attached as buddy."
    )
    candidates = in_time + peers + late + others
    return Decision(learner.member_id, True, buddy.member_id, candidates, why)


def _queued(c: Candidate, r: Routable) -> float:
    if c.queued_minutes is not None:
        return c.queued_minutes
    return c.open_count * r.base_minutes * work_factor(c.skills.get(r.skill, 0))


def _weighed(c: Candidate, r: Routable, p: Policy, *, growth: bool) -> Scored:
    """The secpool score: a weighted sum of parts that each lie in 0..1."""
    level = c.skills.get(r.skill, 0)
    factor = _SLOWEST if growth else work_factor(level)
    need = _queued(c, r) + r.base_minutes * factor
    finish = need
    if c.shift_left_minutes is not None and need > c.shift_left_minutes:
        finish += c.off_shift_minutes
    skill = 0.0 if growth else (_SLOWEST - factor) / (_SLOWEST - _FASTEST)
    capacity = p.finish_scale_minutes / (p.finish_scale_minutes + finish)
    continuity = 1.0 if c.served_requester else 0.0
    fairness = max(0.0, 1.0 - c.busy_minutes_today / p.full_day_minutes)
    grows = 1.0 if growth or r.skill in c.learning else 0.0
    # The less slack, the more speed and an early finish count (up to double), so urgent work goes to whoever
    # finishes first while fairness and growth wait for calmer work.
    pressure = 1.0 + min(1.0, max(0.0, 1.0 - r.slack_minutes / p.pressure_slack_minutes))
    score = (
        pressure * p.skill_weight * skill
        + pressure * p.capacity_weight * capacity
        + p.continuity_weight * continuity
        + p.fairness_weight * fairness
        + p.growth_weight * grows
    )
    parts = {"skill": skill, "capacity": capacity, "continuity": continuity, "fairness": fairness, "growth": grows}
    parts["finish_minutes"] = finish  # not scored: the explanation quotes it
    reason = "learning this skill" if growth else "eligible"
    return Scored(c.member_id, True, score, parts, reason)


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
            score = -1.0 if wraps else 0.0
        elif strategy == "least_loaded":
            score = float(spare)
        else:  # most_skilled: the highest level; among equals, the one with most room
            score = level + spare / 1000.0
        parts = {"level": float(level), "spare": float(spare)}
        ranked.append(Scored(c.member_id, True, score, parts, strategy))
    return ranked


def _why(winner: Scored, r: Routable, p: Policy) -> str:
    if p.strategy == "round_robin":
        return f"{winner.member_id} is next in the rotation among eligible members."
    if p.strategy == "least_loaded":
        spare = winner.parts["spare"]
        return f"{winner.member_id} has the most spare capacity ({spare:.0f} open slots)."
    if p.strategy == "most_skilled":
        level = winner.parts["level"]
        return f"{winner.member_id} has the highest {r.skill} level ({level:.0f})."
    parts = winner.parts
    reasons = [f"could finish in about {parts['finish_minutes']:.0f} min"]
    if parts["skill"] >= 0.5:
        reasons.append(f"works fast at {r.skill}")
    if parts["continuity"] > 0:
        reasons.append(f"has served {r.requester} before")
    if parts["fairness"] >= 0.75:
        reasons.append("has had a light day so far")
    if parts["growth"] > 0:
        reasons.append(f"is building up {r.skill}")
    return f"{winner.member_id} gets it: " + ", ".join(reasons) + "."


def _nobody(r: Routable, blocked: list[Scored]) -> str:
    if not blocked:
        return "Nobody is eligible: the pool has no members."
    counts: dict[str, int] = {}
    for s in blocked:
        counts[s.reason] = counts.get(s.reason, 0) + 1
    summary = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f"Nobody is eligible for this {r.skill} request in {r.language}: {summary}."
