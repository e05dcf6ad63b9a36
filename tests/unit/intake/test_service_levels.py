"""Service levels: due times by urgency, the warning window, and the paused clock."""

from datetime import UTC, datetime, timedelta

from services.intake.domain import ServiceLevel, at_risk_from, due_times, resumed_done_due

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
