"""Routing's pure rules: levels grow with experience, working hours, lead escalation, policy changes."""

from datetime import UTC, datetime, timedelta

import pytest

from services.routing.decision import Policy
from services.routing.domain import PolicyChange, apply_change, goes_to_lead, level_after_completion, shift_position


def test_every_eighth_completion_raises_the_level_up_to_five():
    assert level_after_completion(2, 7) == 2
    assert level_after_completion(2, 8) == 3
    assert level_after_completion(0, 8) == 1
    assert level_after_completion(5, 16) == 5


@pytest.mark.parametrize(
    ("minute", "expected"),
    [
        (600, (420.0, 900.0)),  # 10:00 in a 08:00–17:00 shift: 7 h left, then 15 h off
        (1100, (0.0, 820.0)),  # 18:20, after work: nothing left, 13 h 40 until 08:00
        (400, (0.0, 80.0)),  # 06:40, before work
    ],
)
def test_shift_position_tells_time_left_and_the_gap_to_the_next_shift(minute, expected):
    assert shift_position([[480, 1020]], minute) == expected


def test_split_shifts_and_no_hours():
    assert shift_position([[480, 720], [780, 1020]], 700) == (20.0, 60.0)
    assert shift_position([], 700) == (None, 0.0)


def test_a_request_goes_to_the_lead_after_half_an_hour_or_at_once_when_at_risk():
    now = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert not goes_to_lead(now - timedelta(minutes=29), now)
    assert goes_to_lead(now - timedelta(minutes=30), now)
    assert goes_to_lead(None, now, sla_at_risk=True)


def test_a_policy_change_touches_only_what_it_names():
    changed = apply_change(Policy(), PolicyChange(why="more learning", development_share=0.3))
    assert changed.development_share == 0.3 and changed.fairness_weight == Policy().fairness_weight
