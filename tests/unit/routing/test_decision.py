"""The routing decision on small, hand-made pools: hard constraints, scoring, development
assignments, the baselines and the explanation."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from services.routing.decision import (
    LEAST_LOADED,
    MOST_SKILLED,
    POLICIES,
    ROUND_ROBIN,
    SECPOOL,
    Candidate,
    Decision,
    Policy,
    Routable,
    decide,
)


def member(member_id: str, **changes: Any) -> Candidate:
    fields: dict[str, Any] = {
        "member_id": member_id,
        "skills": {"agenda": 3},
        "learning": (),
        "languages": ("en", "nl"),
        "capacity": 4,
        "open_count": 0,
        "available": True,
        "shift_left_minutes": 300.0,
        "off_shift_minutes": 900.0,
    }
    return Candidate(**(fields | changes))


def request(**changes: Any) -> Routable:
    fields: dict[str, Any] = {
        "request_id": "r1",
        "requester": "staff-001",
        "skill": "agenda",
        "min_level": 2,
        "language": "nl",
        "urgency": "normal",
        "slack_minutes": 500.0,
        "base_minutes": 20.0,
    }
    return Routable(**(fields | changes))


def learner(member_id: str, **changes: Any) -> Candidate:
    return member(member_id, **({"skills": {}, "learning": ("agenda",)} | changes))


def test_nobody_eligible_gives_no_member_and_counts_the_reasons() -> None:
    pool = [
        member("anouk", available=False),
        member("bram", open_count=4),
        member("carla", languages=("en",)),
        member("daan", skills={"agenda": 1}),
    ]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id is None
    assert decision.buddy_id is None
    assert not decision.development
    assert "1 off duty" in decision.why
    assert "1 at capacity" in decision.why
    assert "1 not speaking nl" in decision.why
    assert "1 below agenda level 2" in decision.why


@pytest.mark.parametrize("name", list(POLICIES))
def test_every_policy_skips_members_who_fail_a_hard_constraint(name: str) -> None:
    pool = [
        member("anouk", available=False, skills={"agenda": 5}),
        member("bram", open_count=4, skills={"agenda": 5}),
        member("carla", languages=("en",), skills={"agenda": 5}),
        member("daan", skills={"agenda": 1}),
        member("eva", skills={"agenda": 2}, queued_minutes=400.0, busy_minutes_today=400.0),
    ]
    assert decide(request(), pool, POLICIES[name]).member_id == "eva"


def test_members_who_declined_are_not_offered_the_request_again() -> None:
    pool = [member("anouk", skills={"agenda": 5}), member("bram")]
    decision = decide(request(), pool, SECPOOL, exclude=frozenset({"anouk"}))
    assert decision.member_id == "bram"
    assert decide(request(), pool, SECPOOL, exclude=frozenset({"anouk", "bram"})).member_id is None


def test_secpool_prefers_the_member_who_can_finish_first() -> None:
    pool = [member("anouk", queued_minutes=120.0), member("bram", queued_minutes=10.0)]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert "finish in about 34 min" in decision.why


def test_secpool_avoids_a_member_whose_shift_ends_before_the_work_is_done() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, shift_left_minutes=10.0),
        member("bram", shift_left_minutes=200.0),
    ]
    assert decide(request(), pool, SECPOOL).member_id == "bram"


def test_with_little_slack_the_faster_member_wins_over_the_less_busy_one() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, busy_minutes_today=200.0),
        member("bram", skills={"agenda": 2}),
    ]
    assert decide(request(slack_minutes=0.0, base_minutes=60.0), pool, SECPOOL).member_id == ("anouk")


def test_with_plenty_of_slack_the_less_busy_member_gets_the_work() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, busy_minutes_today=300.0),
        member("bram", skills={"agenda": 3}),
    ]
    decision = decide(request(slack_minutes=2000.0), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert "light day" in decision.why


def test_continuity_breaks_an_even_choice() -> None:
    pool = [member("anouk"), member("bram", served_requester=True)]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert "has served staff-001 before" in decision.why


def test_continuity_is_only_a_soft_preference() -> None:
    pool = [member("anouk"), member("bram", served_requester=True, queued_minutes=180.0)]
    assert decide(request(), pool, SECPOOL).member_id == "anouk"


def test_ties_go_to_the_first_member_id_whatever_the_order() -> None:
    pool = [member("carla"), member("anouk"), member("bram")]
    assert decide(request(), pool, SECPOOL).member_id == "anouk"
    assert decide(request(), list(reversed(pool)), SECPOOL).member_id == "anouk"


def test_non_urgent_work_with_slack_goes_to_a_learner_with_a_buddy() -> None:
    pool = [member("anouk", skills={"agenda": 4}), learner("bram")]
    decision = decide(request(), pool, SECPOOL, development_so_far=0.05)
    assert decision.member_id == "bram"
    assert decision.development
    assert decision.buddy_id == "anouk"
    assert decision.why.startswith("Development assignment: bram is learning agenda")


def test_a_learner_who_holds_the_skill_too_low_may_develop_it() -> None:
    pool = [member("anouk"), learner("bram", skills={"agenda": 1})]
    decision = decide(request(min_level=2), pool, SECPOOL)
    assert (decision.member_id, decision.development) == ("bram", True)


@pytest.mark.parametrize(
    ("routable", "so_far"),
    [
        (request(urgency="high"), 0.0),
        (request(slack_minutes=100.0), 0.0),
        (request(), SECPOOL.development_share),
    ],
    ids=["urgent", "little slack", "share reached"],
)
def test_no_development_assignment_when_the_work_or_the_share_does_not_allow(routable: Routable, so_far: float) -> None:
    pool = [member("anouk"), learner("bram")]
    decision = decide(routable, pool, SECPOOL, development_so_far=so_far)
    assert (decision.member_id, decision.development) == ("anouk", False)


def test_no_development_assignment_without_an_eligible_buddy() -> None:
    decision = decide(request(), [learner("bram")], SECPOOL)
    assert decision.member_id is None


def test_no_development_assignment_while_every_possible_buddy_is_swamped() -> None:
    pool = [member("anouk", queued_minutes=200.0), learner("bram")]
    decision = decide(request(), pool, SECPOOL)
    assert (decision.member_id, decision.development) == ("anouk", False)


def test_a_learner_who_could_not_finish_in_time_is_passed_over() -> None:
    pool = [member("anouk"), learner("bram", queued_minutes=230.0), learner("carla")]
    decision = decide(request(), pool, SECPOOL)
    assert (decision.member_id, decision.development) == ("carla", True)
    bram = next(s for s in decision.candidates if s.member_id == "bram")
    assert not bram.eligible
    assert bram.reason == "learning, but would not finish in time"


def test_the_buddy_is_the_eligible_member_with_most_spare_time() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, queued_minutes=40.0),
        member("bram", skills={"agenda": 2}),
        member("carla", skills={"agenda": 1}),
        learner("daan"),
    ]
    assert decide(request(), pool, SECPOOL).buddy_id == "bram"


def test_round_robin_picks_the_next_eligible_member_after_the_last_pick() -> None:
    pool = [member("anouk"), member("bram", available=False), member("carla"), member("daan")]
    assert decide(request(), pool, ROUND_ROBIN).member_id == "anouk"
    assert decide(request(), pool, ROUND_ROBIN, rotation_after="anouk").member_id == "carla"
    assert decide(request(), pool, ROUND_ROBIN, rotation_after="carla").member_id == "daan"
    assert decide(request(), pool, ROUND_ROBIN, rotation_after="daan").member_id == "anouk"


def test_least_loaded_picks_the_most_open_slots_whatever_the_level() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, open_count=2),
        member("bram", skills={"agenda": 2}, capacity=3, open_count=0),
    ]
    decision = decide(request(), pool, LEAST_LOADED)
    assert decision.member_id == "bram"
    assert decision.why == "bram has the most spare capacity (3 open slots)."


def test_most_skilled_picks_the_highest_level_then_the_most_room() -> None:
    pool = [
        member("anouk", skills={"agenda": 4}),
        member("bram", skills={"agenda": 5}, open_count=3),
        member("carla", skills={"agenda": 5}, open_count=1),
    ]
    assert decide(request(), pool, MOST_SKILLED).member_id == "carla"


@pytest.mark.parametrize("policy", [ROUND_ROBIN, LEAST_LOADED, MOST_SKILLED])
def test_baselines_never_make_development_assignments(policy: Policy) -> None:
    pool = [member("anouk"), learner("bram")]
    decision = decide(request(), pool, policy)
    assert (decision.member_id, decision.development) == ("anouk", False)


def test_the_explanation_lists_every_candidate_once_winner_first() -> None:
    pool = [member("anouk", available=False), member("bram"), learner("carla"), member("daan")]
    for so_far in (0.0, 1.0):
        decision = decide(request(), pool, SECPOOL, development_so_far=so_far)
        assert sorted(s.member_id for s in decision.candidates) == ["anouk", "bram", "carla", "daan"]
        assert decision.candidates[0].member_id == decision.member_id
        assert decision.candidates[0].eligible


def test_a_decision_round_trips_through_json() -> None:
    pool = [member("anouk"), learner("bram")]
    decision = decide(request(), pool, SECPOOL)
    assert msgspec.json.decode(msgspec.json.encode(decision), type=Decision) == decision


@pytest.mark.parametrize(
    "changes",
    [{"development_share": 1.5}, {"fairness_weight": -1.0}, {"finish_scale_minutes": 0.0}],
)
def test_a_policy_out_of_range_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Policy(**changes)


def test_without_queued_minutes_the_open_requests_stand_in_for_queued_work() -> None:
    pool = [
        member("anouk", open_count=3, queued_minutes=None),
        member("bram", open_count=1, queued_minutes=None),
    ]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert "finish in about 48 min" in decision.why


@pytest.mark.parametrize("state", ["off shift", "absent", "public holiday", "no working hours"])
def test_a_member_off_shift_absent_or_on_a_holiday_is_never_picked_and_the_reason_is_counted(state: str) -> None:
    pool = [member("anouk", shift=state, skills={"agenda": 5}), member("bram")]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert [c.reason for c in decision.candidates if c.member_id == "anouk"] == [state]
    alone = decide(request(), [member("anouk", shift=state)], SECPOOL)
    assert alone.member_id is None and f"1 {state}" in alone.why
