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
    Reason,
    Routable,
    decide,
)
from services.routing.shifts import ShiftState


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


def codes(decision: Decision) -> list[str]:
    return [r.code for r in decision.reasons]


def test_nobody_eligible_gives_no_member_and_counts_the_reasons() -> None:
    pool = [
        member("anouk", available=False),
        member("bram", open_count=4),
        member("carla", languages=("en",)),
        member("daan", skills={"agenda": 1}),
        member("eva"),
    ]
    decision = decide(request(), pool, SECPOOL, exclude=frozenset({"eva"}))
    assert decision.member_id is None
    assert decision.buddy_id is None
    assert not decision.development
    assert codes(decision) == ["nobody"]
    assert decision.others == {"away": 1, "at_capacity": 1, "language": 1, "below_level": 1, "declined": 1}


def test_a_request_only_waiting_for_room_is_not_stranded_but_one_nobody_can_take_is() -> None:
    full = decide(request(), [member("anouk", open_count=4), member("bram", available=False)], SECPOOL)
    assert full.member_id is None and not full.stranded()
    pool = [member("anouk"), member("bram", available=False)]
    declined = decide(request(), pool, SECPOOL, exclude=frozenset({"anouk"}))
    assert declined.member_id is None and declined.stranded()
    assert declined.others == {"declined": 1, "away": 1}


def test_at_capacity_counts_only_members_who_could_otherwise_take_it() -> None:
    decision = decide(request(), [member("anouk", open_count=4, skills={"agenda": 1})], SECPOOL)
    assert decision.others == {"below_level": 1}
    assert decision.stranded()


@pytest.mark.parametrize("name", list(POLICIES))
def test_every_policy_skips_members_who_fail_a_hard_constraint(name: str) -> None:
    pool = [
        member("anouk", available=False, skills={"agenda": 5}),
        member("bram", open_count=4, skills={"agenda": 5}),
        member("carla", languages=("en",), skills={"agenda": 5}),
        member("daan", skills={"agenda": 1}),
        member("eva", skills={"agenda": 2}, queued_minutes=10.0, busy_minutes_today=400.0),
    ]
    assert decide(request(), pool, POLICIES[name]).member_id == "eva"


def test_members_who_declined_are_not_offered_the_request_again() -> None:
    pool = [member("anouk", skills={"agenda": 5}), member("bram")]
    decision = decide(request(), pool, SECPOOL, exclude=frozenset({"anouk"}))
    assert decision.member_id == "bram"
    assert decision.others == {"declined": 1}
    assert decide(request(), pool, SECPOOL, exclude=frozenset({"anouk", "bram"})).member_id is None


def test_secpool_prefers_the_member_who_can_finish_first() -> None:
    pool = [member("anouk", queued_minutes=15.0), member("bram", queued_minutes=5.0)]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert decision.reasons[0] == Reason("finishes_soonest", minutes=29)  # 5 queued + 20 × 1.2
    assert decision.others == {"eligible": 1}


def test_secpool_avoids_a_member_whose_shift_ends_before_the_work_is_done() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, shift_left_minutes=10.0),
        member("bram", shift_left_minutes=200.0),
    ]
    assert decide(request(), pool, SECPOOL).member_id == "bram"


def test_a_faster_member_wins_when_time_is_short_whoever_had_the_busier_day() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, busy_minutes_today=400.0),
        member("bram", skills={"agenda": 2}),
    ]
    decision = decide(request(slack_minutes=0.0, base_minutes=60.0), pool, SECPOOL)
    assert decision.member_id == "anouk"
    assert "knows_skill" in codes(decision)


def test_with_plenty_of_slack_the_member_with_a_lighter_day_gets_the_work() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, busy_minutes_today=300.0),
        member("bram", skills={"agenda": 3}),
    ]
    decision = decide(request(slack_minutes=2000.0), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert "light_day" in codes(decision)


def test_continuity_breaks_an_even_choice() -> None:
    pool = [member("anouk"), member("bram", served_requester=True)]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert "served_requester" in codes(decision)


def test_continuity_is_only_a_soft_preference() -> None:
    pool = [member("anouk"), member("bram", served_requester=True, queued_minutes=18.0)]
    assert decide(request(), pool, SECPOOL).member_id == "anouk"


def test_ties_go_to_the_first_member_id_whatever_the_order() -> None:
    pool = [member("carla"), member("anouk"), member("bram")]
    assert decide(request(), pool, SECPOOL).member_id == "anouk"
    assert decide(request(), list(reversed(pool)), SECPOOL).member_id == "anouk"


def test_work_waits_in_the_pool_queue_when_everyone_who_can_take_it_is_busy() -> None:
    pool = [member("anouk", queued_minutes=65.0), member("bram", queued_minutes=90.0)]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id is None
    assert codes(decision) == ["all_busy"]
    assert decision.others == {"busy": 2}
    assert not decision.stranded()
    assert decide(request(), pool, Policy(hold_after_minutes=0.0)).member_id == "anouk"


def test_non_urgent_work_with_slack_goes_to_a_learner_with_a_buddy() -> None:
    pool = [member("anouk", skills={"agenda": 4}), learner("bram")]
    decision = decide(request(), pool, SECPOOL, development_so_far=0.05)
    assert decision.member_id == "bram"
    assert decision.development
    assert decision.buddy_id == "anouk"
    assert decision.reasons == [
        Reason("development", minutes=40, skill="agenda"),
        Reason("buddy", skill="agenda", level=4),
    ]
    assert decision.others == {"eligible": 1}


def test_a_learner_who_holds_the_skill_too_low_may_develop_it() -> None:
    pool = [member("anouk"), learner("bram", skills={"agenda": 1})]
    decision = decide(request(min_level=2), pool, SECPOOL)
    assert (decision.member_id, decision.development) == ("bram", True)


def test_a_learner_who_already_may_take_the_skill_still_grows_with_a_buddy() -> None:
    pool = [member("anouk", skills={"agenda": 4}), learner("bram", skills={"agenda": 2})]
    decision = decide(request(min_level=1), pool, SECPOOL)
    assert (decision.member_id, decision.development, decision.buddy_id) == ("bram", True, "anouk")


@pytest.mark.parametrize(
    ("routable", "so_far"),
    [
        (request(urgency="high"), 0.0),
        (request(slack_minutes=100.0), 0.0),
        (request(), SECPOOL.development_share),
        (request(base_minutes=100.0), 0.0),
    ],
    ids=["urgent", "little slack", "share reached", "learner too slow"],
)
def test_no_development_assignment_when_the_work_or_the_share_does_not_allow(routable: Routable, so_far: float) -> None:
    pool = [member("anouk"), learner("bram")]
    decision = decide(routable, pool, SECPOOL, development_so_far=so_far)
    assert (decision.member_id, decision.development) == ("anouk", False)


def test_no_development_assignment_without_an_eligible_buddy() -> None:
    decision = decide(request(), [learner("bram")], SECPOOL)
    assert decision.member_id is None
    assert decision.others == {"below_level": 1}


def test_no_development_assignment_while_every_possible_buddy_is_swamped() -> None:
    pool = [member("anouk", queued_minutes=15.0), learner("bram")]
    decision = decide(request(), pool, Policy(buddy_max_queued_minutes=10.0))
    assert (decision.member_id, decision.development) == ("anouk", False)


def test_the_learner_who_would_finish_first_is_chosen() -> None:
    pool = [member("anouk"), learner("bram", queued_minutes=30.0), learner("carla")]
    decision = decide(request(), pool, SECPOOL)
    assert (decision.member_id, decision.development) == ("carla", True)
    assert decision.others == {"eligible": 1, "below_level": 1}


def test_the_buddy_is_the_eligible_member_with_most_spare_time() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, queued_minutes=10.0),
        member("bram", skills={"agenda": 2}),
        member("carla", skills={"agenda": 1}),
        learner("daan"),
    ]
    assert decide(request(min_level=1), pool, SECPOOL).buddy_id == "bram"


def test_round_robin_picks_the_next_eligible_member_after_the_last_pick() -> None:
    pool = [member("anouk"), member("bram", available=False), member("carla"), member("daan")]
    assert decide(request(), pool, ROUND_ROBIN).member_id == "anouk"
    assert decide(request(), pool, ROUND_ROBIN, rotation_after="anouk").member_id == "carla"
    assert decide(request(), pool, ROUND_ROBIN, rotation_after="carla").member_id == "daan"
    assert decide(request(), pool, ROUND_ROBIN, rotation_after="daan").member_id == "anouk"
    assert codes(decide(request(), pool, ROUND_ROBIN)) == ["rotation"]


def test_least_loaded_picks_the_most_open_slots_whatever_the_level() -> None:
    pool = [
        member("anouk", skills={"agenda": 5}, open_count=2),
        member("bram", skills={"agenda": 2}, capacity=3, open_count=0),
    ]
    decision = decide(request(), pool, LEAST_LOADED)
    assert decision.member_id == "bram"
    assert decision.reasons == [Reason("most_room", level=3)]


def test_most_skilled_picks_the_highest_level_then_the_most_room() -> None:
    pool = [
        member("anouk", skills={"agenda": 4}),
        member("bram", skills={"agenda": 5}, open_count=3),
        member("carla", skills={"agenda": 5}, open_count=1),
    ]
    decision = decide(request(), pool, MOST_SKILLED)
    assert decision.member_id == "carla"
    assert decision.reasons == [Reason("highest_level", skill="agenda", level=5)]


@pytest.mark.parametrize("policy", [ROUND_ROBIN, LEAST_LOADED, MOST_SKILLED])
def test_baselines_never_make_development_assignments(policy: Policy) -> None:
    pool = [member("anouk"), learner("bram")]
    decision = decide(request(), pool, policy)
    assert (decision.member_id, decision.development) == ("anouk", False)


def test_the_candidates_list_every_member_once_winner_first() -> None:
    pool = [member("anouk", available=False), member("bram"), learner("carla"), member("daan")]
    for so_far in (0.0, 1.0):
        decision = decide(request(), pool, SECPOOL, development_so_far=so_far)
        assert sorted(s.member_id for s in decision.candidates) == ["anouk", "bram", "carla", "daan"]
        assert decision.candidates[0].member_id == decision.member_id
        assert decision.candidates[0].eligible
        assert sum(decision.others.values()) == 3


def test_a_decision_round_trips_through_json() -> None:
    pool = [member("anouk"), learner("bram")]
    decision = decide(request(), pool, SECPOOL)
    assert msgspec.json.decode(msgspec.json.encode(decision), type=Decision) == decision


def test_the_plain_line_for_logs_names_codes_and_counts_never_people() -> None:
    pool = [member("anouk"), member("bram", queued_minutes=10.0), member("carla", available=False)]
    line = decide(request(), pool, SECPOOL).why()
    assert line == "finishes_soonest (24 min), can_start_now, light_day; others: 1 away, 1 eligible"
    assert "bram" not in line and "carla" not in line


@pytest.mark.parametrize(
    "changes",
    [{"development_share": 1.5}, {"fairness_weight": -1.0}, {"preference_minutes": 0.0}],
)
def test_a_policy_out_of_range_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Policy(**changes)


def test_without_queued_minutes_the_open_requests_stand_in_for_queued_work() -> None:
    pool = [
        member("anouk", open_count=3, queued_minutes=None),
        member("bram", open_count=1, queued_minutes=None, capacity=2),
    ]
    decision = decide(request(), pool, Policy(hold_after_minutes=0.0))
    assert decision.member_id == "bram"
    assert decision.reasons[0] == Reason("finishes_soonest", minutes=48)


@pytest.mark.parametrize(
    ("state", "code"),
    [("off shift", "off_shift"), ("absent", "absent"), ("public holiday", "holiday"), ("no working hours", "no_hours")],
)
def test_a_member_off_shift_absent_or_on_a_holiday_is_never_picked_and_the_reason_is_counted(
    state: ShiftState, code: str
) -> None:
    pool = [member("anouk", shift=state, skills={"agenda": 5}), member("bram")]
    decision = decide(request(), pool, SECPOOL)
    assert decision.member_id == "bram"
    assert [c.reason for c in decision.candidates if c.member_id == "anouk"] == [code]
    alone = decide(request(), [member("anouk", shift=state)], SECPOOL)
    assert alone.member_id is None and alone.others == {code: 1} and alone.stranded()
