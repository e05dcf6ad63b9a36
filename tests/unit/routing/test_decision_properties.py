"""Properties of the routing decision over random pools, requests and policies: the hard
constraints always hold, and development assignments only happen where they may."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from services.routing.decision import POLICIES, SECPOOL, Candidate, Policy, Routable, decide, queued

SKILLS = ("agenda", "travel", "events")
LANGUAGES = ("nl", "en")
SPOKEN = (("en", "nl"), ("en", "nl"), ("en", "nl"), ("nl",), ("en",), ())

routables = st.builds(
    Routable,
    request_id=st.just("r1"),
    requester=st.just("staff-001"),
    skill=st.sampled_from(SKILLS),
    min_level=st.integers(1, 3) | st.integers(1, 5),
    language=st.sampled_from(LANGUAGES),
    urgency=st.sampled_from(("low", "normal", "high")),
    slack_minutes=st.floats(-600, 5000) | st.sampled_from((300.0, 2000.0)),
    base_minutes=st.floats(5, 180) | st.floats(5, 40),
)
policies = (
    st.just(SECPOOL)
    | st.sampled_from(list(POLICIES.values()))
    | st.builds(
        Policy,
        skill_weight=st.floats(0, 5),
        capacity_weight=st.floats(0, 5),
        continuity_weight=st.floats(0, 5),
        fairness_weight=st.floats(0, 5),
        development_share=st.floats(0, 1),
        growth_weight=st.floats(0, 5),
    )
)
shares = st.floats(0, 1) | st.floats(0, 0.2)  # development share of recent assignments
exclusions = st.frozensets(st.sampled_from("abcdefghij"), max_size=3)


@st.composite
def situations(draw: st.DrawFn, learner: bool = False) -> tuple[Routable, list[Candidate]]:
    """A request and a pool whose members often hold or learn the request's skill, so that
    normal picks, development picks and "nobody" all come up; `learner` adds a member who
    would like to learn it."""
    r = draw(routables)
    pool = []
    ids = draw(st.lists(st.sampled_from("abcdefghij"), unique=True, min_size=1, max_size=8))
    for member_id in ids:
        skills = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5)))
        if draw(st.sampled_from((True, True, False))):
            skills[r.skill] = draw(st.integers(1, 5))
        learning = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2))
        if draw(st.booleans()):
            learning.append(r.skill)
        capacity = draw(st.integers(1, 5))
        pool.append(
            Candidate(
                member_id=member_id,
                skills=skills,
                learning=tuple(learning),
                languages=draw(st.sampled_from(SPOKEN)),
                capacity=capacity,
                open_count=draw(st.integers(0, capacity)),
                available=draw(st.sampled_from((True, True, True, False))),
                busy_minutes_today=draw(st.floats(0, 600)),
                served_requester=draw(st.booleans()),
                queued_minutes=draw(st.floats(0, 300) | st.sampled_from((None, 0.0, 30.0))),
                shift_left_minutes=draw(st.none() | st.floats(0, 600)),
                off_shift_minutes=draw(st.floats(0, 4000)),
            )
        )
    if learner:
        below = {r.skill: r.min_level - 1} if r.min_level > 1 else {}
        pool.append(Candidate("z", below, (r.skill,), ("en", "nl"), 3, 0, True, queued_minutes=0.0))
    return r, pool


def may_take(c: Candidate, r: Routable, exclude: frozenset[str]) -> bool:
    return (
        c.member_id not in exclude
        and c.available
        and c.open_count < c.capacity
        and r.language in c.languages
        and c.skills.get(r.skill, 0) >= r.min_level
    )


@settings(max_examples=300, database=None, deadline=None)
@given(situations(), policies, shares, exclusions)
def test_a_normal_pick_always_meets_every_hard_constraint(
    situation: tuple[Routable, list[Candidate]],
    policy: Policy,
    so_far: float,
    exclude: frozenset[str],
) -> None:
    r, pool = situation
    decision = decide(r, pool, policy, development_so_far=so_far, exclude=exclude)
    by_id = {c.member_id: c for c in pool}
    if decision.member_id is None:
        able = [c for c in pool if may_take(c, r, exclude)]
        # Nobody may take it, or everyone who may is busy for a while: it waits for the first one free.
        assert not able or all(queued(c, r) >= policy.hold_after_minutes > 0 for c in able)
        assert decision.stranded() == (not able and not decision.others.get("at_capacity"))
    elif not decision.development:
        assert may_take(by_id[decision.member_id], r, exclude)
        assert decision.buddy_id is None


@settings(max_examples=300, database=None, deadline=None)
@given(situations(learner=True), policies, shares, exclusions)
def test_a_development_pick_is_non_urgent_within_the_share_and_has_an_eligible_buddy(
    situation: tuple[Routable, list[Candidate]],
    policy: Policy,
    so_far: float,
    exclude: frozenset[str],
) -> None:
    r, pool = situation
    decision = decide(r, pool, policy, development_so_far=so_far, exclude=exclude)
    if not decision.development:
        return
    by_id = {c.member_id: c for c in pool}
    assert decision.member_id is not None
    assert decision.buddy_id is not None
    learner, buddy = by_id[decision.member_id], by_id[decision.buddy_id]
    assert r.urgency != "high"
    assert r.slack_minutes >= policy.development_min_slack_minutes
    assert so_far < policy.development_share
    assert r.skill in learner.learning
    assert learner.member_id not in exclude
    assert learner.available
    assert learner.open_count < learner.capacity
    assert r.language in learner.languages
    assert may_take(buddy, r, exclude)
    assert buddy.skills.get(r.skill, 0) > learner.skills.get(r.skill, 0)


@settings(max_examples=150, database=None, deadline=None)
@given(situations(), policies, shares, st.randoms(use_true_random=False))
def test_the_decision_does_not_depend_on_the_order_of_candidates(
    situation: tuple[Routable, list[Candidate]],
    policy: Policy,
    so_far: float,
    rng: random.Random,
) -> None:
    r, pool = situation
    shuffled = list(pool)
    rng.shuffle(shuffled)
    first = decide(r, pool, policy, development_so_far=so_far, rotation_after="e")
    second = decide(r, shuffled, policy, development_so_far=so_far, rotation_after="e")
    assert (first.member_id, first.development, first.buddy_id) == (
        second.member_id,
        second.development,
        second.buddy_id,
    )


@settings(max_examples=150, database=None, deadline=None)
@given(situations(), policies, shares)
def test_the_explanation_covers_every_candidate_exactly_once(
    situation: tuple[Routable, list[Candidate]], policy: Policy, so_far: float
) -> None:
    r, pool = situation
    decision = decide(r, pool, policy, development_so_far=so_far)
    assert sorted(s.member_id for s in decision.candidates) == sorted(c.member_id for c in pool)
    assert decision.reasons
    # Everyone but the chosen member is counted, per reason, and nobody is named.
    assert sum(decision.others.values()) == len(pool) - (decision.member_id is not None)
    assert not any(c.member_id in decision.why() for c in pool if len(c.member_id) > 1)
