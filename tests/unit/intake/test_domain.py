"""Intake's pure rules (domain.py): the request lifecycle (which steps are legal, for whom, and why
not), service levels (due times by urgency, the warning window, the paused clock), and the queue
model (position by urgency then age; expected pick-up k · d / c)."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain import (
    CLOSED,
    MEMBER_STEPS,
    NOT_STARTED,
    TRANSITIONS,
    PoolLoad,
    ServiceLevel,
    TransitionRefused,
    Waiting,
    at_risk_from,
    check_cancel,
    check_conversation_open,
    check_member_step,
    check_rating,
    check_transition,
    due_times,
    minutes_between_pickups,
    queue_order,
    queue_spots,
    resumed_done_due,
    slot_minutes,
)

STATUSES = list(TRANSITIONS)


def test_the_lifecycle_is_the_issues_graph():
    edges = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert edges == {
        ("submitted", "offered"),
        ("submitted", "in_progress"),
        ("submitted", "cancelled"),
        ("offered", "submitted"),
        ("offered", "offered"),
        ("offered", "in_progress"),
        ("offered", "cancelled"),
        ("in_progress", "waiting_on_requester"),
        ("in_progress", "done"),
        ("in_progress", "cancelled"),
        ("waiting_on_requester", "in_progress"),
        ("waiting_on_requester", "cancelled"),
    }
    assert all(not TRANSITIONS[s] for s in CLOSED)


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_an_illegal_transition_names_both_states(current, target):
    if target in TRANSITIONS[current]:
        check_transition(current, target)
        return
    with pytest.raises(TransitionRefused) as refused:
        check_transition(current, target)
    assert current.replace("_", " ") in str(refused.value) and target.replace("_", " ") in str(refused.value)


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_the_member_takes_only_their_three_steps(current, target):
    if (current, target) in MEMBER_STEPS:
        assert check_member_step(current, target) == MEMBER_STEPS[(current, target)]
    else:
        with pytest.raises(TransitionRefused):
            check_member_step(current, target)


def test_the_member_is_told_why_a_step_is_refused():
    def reason(current: str, target: str) -> str:
        with pytest.raises(TransitionRefused) as refused:
            check_member_step(current, target)
        return str(refused.value)

    assert reason("offered", "in_progress") == "the request has not been picked up yet: accept its offer first"
    assert reason("in_progress", "in_progress") == "the request is already in progress"
    assert "cancel" in reason("in_progress", "cancelled")
    assert reason("waiting_on_requester", "done") == "a request that is waiting on requester cannot become done"


@pytest.mark.parametrize("current", STATUSES)
def test_the_requester_cancels_only_before_work_starts_the_lead_until_it_is_closed(current):
    for by_lead, allowed in ((False, current in NOT_STARTED), (True, current not in CLOSED)):
        if allowed:
            check_cancel(current, by_lead=by_lead)
        else:
            with pytest.raises(TransitionRefused):
                check_cancel(current, by_lead=by_lead)


def test_rating_is_for_done_requests_once_and_conversations_close_with_the_request():
    check_rating("done", already_rated=False)
    with pytest.raises(TransitionRefused, match="once it is done"):
        check_rating("in_progress", already_rated=False)
    with pytest.raises(TransitionRefused, match="given once"):
        check_rating("done", already_rated=True)
    check_conversation_open("waiting_on_requester")
    for status in CLOSED:
        with pytest.raises(TransitionRefused, match="closed"):
            check_conversation_open(status)


T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_urgency_halves_or_doubles_the_types_service_levels():
    level = ServiceLevel(pickup_minutes=60, complete_minutes=240)
    assert due_times(T0, level, "normal") == (T0 + timedelta(hours=1), T0 + timedelta(hours=4))
    assert due_times(T0, level, "high") == (T0 + timedelta(minutes=30), T0 + timedelta(hours=2))
    assert due_times(T0, level, "low") == (T0 + timedelta(hours=2), T0 + timedelta(hours=8))


def test_a_level_is_at_risk_in_the_last_share_of_its_window():
    due = T0 + timedelta(hours=4)
    assert at_risk_from(T0, due, 0.25) == T0 + timedelta(hours=3)
    assert at_risk_from(T0, due, 0.9) == T0 + timedelta(minutes=24)
    assert T0 < at_risk_from(T0, due, 0.5) < due


def test_time_waiting_on_the_requester_is_added_to_the_completion_due_time():
    due = T0 + timedelta(hours=4)
    waiting_since = T0 + timedelta(hours=1)
    assert resumed_done_due(due, waiting_since, T0 + timedelta(hours=3)) == due + timedelta(hours=2)
    assert resumed_done_due(due, None, T0 + timedelta(hours=3)) == due
    assert resumed_done_due(due, waiting_since, waiting_since) == due


NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def waiting(urgency: str, minutes_ago: int, pickup_in: int = 60) -> Waiting:
    return Waiting(
        request_id=uuid4(),
        urgency=urgency,
        submitted_at=NOW - timedelta(minutes=minutes_ago),
        pickup_due_at=NOW + timedelta(minutes=pickup_in),
    )


def test_most_urgent_first_then_oldest_first():
    old_low, new_normal, old_normal, new_high = (
        waiting("low", 90),
        waiting("normal", 5),
        waiting("normal", 50),
        waiting("high", 1),
    )
    assert queue_order([old_low, new_normal, old_normal, new_high]) == [new_high, old_normal, new_normal, old_low]


def test_with_four_busy_slots_of_an_hour_a_slot_frees_every_fifteen_minutes():
    # Two members of capacity two, both full; done work took an hour from pick-up.
    load = PoolLoad(busy_slots=4, observed_minutes=60.0, observed_count=10, estimated_minutes=20.0)
    items = [waiting("normal", 30), waiting("normal", 20), waiting("high", 10)]
    spots = queue_spots(items, load, NOW)
    by_position = sorted(spots.values(), key=lambda s: s.position)
    assert [s.expected_pickup_at for s in by_position] == [NOW + timedelta(minutes=m) for m in (15, 30, 45)]
    assert spots[items[2].request_id].position == 1
    assert {s.waiting for s in by_position} == {3} and {s.basis for s in by_position} == {"queue"}


def test_too_few_done_requests_fall_back_to_the_types_work_estimates():
    assert slot_minutes(PoolLoad(busy_slots=2, observed_minutes=90.0, observed_count=2, estimated_minutes=30.0)) == 30.0
    assert slot_minutes(PoolLoad(busy_slots=2, observed_minutes=90.0, observed_count=3, estimated_minutes=30.0)) == 90.0
    assert minutes_between_pickups(PoolLoad(busy_slots=2, estimated_minutes=30.0)) == 15.0


def test_without_anyone_at_work_the_pick_up_due_time_is_shown():
    items = [waiting("normal", 10, pickup_in=40), waiting("normal", 5, pickup_in=-5)]
    spots = queue_spots(items, PoolLoad(busy_slots=0, estimated_minutes=30.0), NOW)
    first, overdue = spots[items[0].request_id], spots[items[1].request_id]
    assert (first.basis, first.expected_pickup_at) == ("service_level", NOW + timedelta(minutes=40))
    assert overdue.expected_pickup_at == NOW  # never in the past


@given(
    urgencies=st.lists(st.sampled_from(["low", "normal", "high"]), min_size=1, max_size=30),
    busy=st.integers(min_value=1, max_value=40),
    minutes=st.floats(min_value=1, max_value=10_000),
)
def test_positions_are_one_to_n_and_expected_times_grow_with_them(urgencies, busy, minutes):
    items = [waiting(u, i) for i, u in enumerate(urgencies)]
    spots = sorted(
        queue_spots(items, PoolLoad(busy_slots=busy, estimated_minutes=minutes), NOW).values(), key=lambda s: s.position
    )
    assert [s.position for s in spots] == list(range(1, len(items) + 1))
    times = [s.expected_pickup_at for s in spots]
    assert times == sorted(times) and times[0] > NOW
