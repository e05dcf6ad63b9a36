"""Routing's pure rules: levels grow with experience, lead escalation, policy changes, work in hand."""

from datetime import UTC, datetime, timedelta

from services.contracts.routing_api import PolicyChange
from services.routing.decision import Policy, work_factor
from services.routing.domain import (
    Held,
    InHand,
    Started,
    apply_change,
    goes_to_lead,
    level_after_completion,
    work_in_hand,
)


def test_every_eighth_completion_raises_the_level_up_to_five():
    assert level_after_completion(2, 7) == 2
    assert level_after_completion(2, 8) == 3
    assert level_after_completion(0, 8) == 1
    assert level_after_completion(5, 16) == 5


def test_a_request_goes_to_the_lead_after_half_an_hour_or_at_once_when_at_risk():
    now = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert not goes_to_lead(now - timedelta(minutes=29), now)
    assert goes_to_lead(now - timedelta(minutes=30), now)
    assert goes_to_lead(None, now, sla_at_risk=True)


def test_a_policy_change_touches_only_what_it_names():
    changed = apply_change(Policy(), PolicyChange(why="more learning", development_share=0.3))
    assert changed.development_share == 0.3 and changed.fairness_weight == Policy().fairness_weight


def test_work_in_hand_counts_every_skill_at_the_members_pace_less_what_is_under_way():
    now = datetime(2026, 11, 27, 10, tzinfo=UTC)
    skills = {"m1": {"agenda": 3, "letters": 1}}
    held = [
        Held(member_id="m1", skill="agenda", minutes=30.0, accepted_minutes=20.0),
        Held(member_id="m1", skill="letters", minutes=10.0, accepted_minutes=0.0),
        Held(member_id="m2", skill="agenda", minutes=15.0, accepted_minutes=0.0),
    ]
    started = [Started(member_id="m1", skill="agenda", work_minutes=20.0, accepted_at=now - timedelta(minutes=5))]
    found = work_in_hand(held, started, skills, now)
    agenda, letters, unskilled = work_factor(3), work_factor(1), work_factor(0)
    assert found["m1"].queued == 30 * agenda + 10 * letters - 5
    assert found["m1"].accepted == 20 * agenda - 5
    assert found["m2"] == InHand(15 * unskilled, 0.0)


def test_a_piece_under_way_longer_than_its_estimate_counts_as_done_not_as_negative_work():
    now = datetime(2026, 11, 27, 10, tzinfo=UTC)
    held = [Held(member_id="m1", skill="agenda", minutes=25.0, accepted_minutes=25.0)]
    started = [Started(member_id="m1", skill="agenda", work_minutes=10.0, accepted_at=now - timedelta(hours=2))]
    found = work_in_hand(held, started, {"m1": {"agenda": 3}}, now)
    assert found["m1"].queued == found["m1"].accepted == 25 * work_factor(3) - 10 * work_factor(3)
