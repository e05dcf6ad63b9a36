"""Routing's pure rules: levels grow with experience, lead escalation, policy changes."""

from datetime import UTC, datetime, timedelta

from services.contracts.routing_api import PolicyChange
from services.routing.decision import Policy
from services.routing.domain import apply_change, goes_to_lead, level_after_completion


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
