"""The queue model (domain.py): position by urgency then age; expected pick-up k · d / c."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain import PoolLoad, Waiting, minutes_between_pickups, queue_order, queue_spots, slot_minutes

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
