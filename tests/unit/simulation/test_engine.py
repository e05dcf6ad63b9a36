"""The simulator's rules of the pool's world on tiny traces: one request at a time, shifts,
capacity, queue order, pace by level, level-ups, development, unfinished work, the metrics."""

from __future__ import annotations

from typing import Any

import pytest

from services.routing.decision import LEAST_LOADED, Policy
from services.simulation.engine import Handling, run
from services.simulation.metrics import Outcome, gini, outcome
from services.simulation.trace import Trace, TraceMember, TraceRequest


def worker(member_id: str = "anouk", **changes: Any) -> TraceMember:
    fields: dict[str, Any] = {
        "id": member_id,
        "skills": {"agenda": 4},
        "learning": [],
        "languages": ["en", "nl"],
        "capacity": 3,
        "shifts": [(0.0, 1000.0)],
    }
    return TraceMember(**(fields | changes))


def ask(request_id: str, arrival: float, **changes: Any) -> TraceRequest:
    fields: dict[str, Any] = {
        "id": request_id,
        "arrival": arrival,
        "requester": "staff-001",
        "skill": "agenda",
        "min_level": 1,
        "language": "nl",
        "urgency": "normal",
        "due": arrival + 540,
        "base_minutes": 30.0,
    }
    return TraceRequest(**(fields | changes))


def simulate(
    members: list[TraceMember], requests: list[TraceRequest], policy: Policy = LEAST_LOADED
) -> tuple[Outcome, dict[str, Handling]]:
    simulation = run(Trace(members, requests), policy)
    return outcome(simulation, "test"), {h.id: h for h in simulation.handlings("test")}


def test_a_member_works_on_one_request_at_a_time() -> None:
    _, log = simulate([worker()], [ask("r1", 0), ask("r2", 1)])
    assert (log["r1"].started, log["r1"].finished) == (0, 30)
    assert (log["r2"].assigned_at, log["r2"].started, log["r2"].finished) == (1, 30, 60)


def test_the_most_pressing_held_request_is_worked_on_first() -> None:
    requests = [ask("r1", 0), ask("r2", 1, due=500), ask("r3", 2, due=100)]
    _, log = simulate([worker()], requests)
    assert log["r3"].started == 30
    assert log["r2"].started == 60


@pytest.mark.parametrize("shifts", [[(100.0, 160.0), (200.0, 300.0)], [(200.0, 300.0), (100.0, 160.0)]])
def test_work_waits_for_the_shift_and_pauses_between_shifts(shifts: list[tuple[float, float]]) -> None:
    member = worker(shifts=shifts)
    _, log = simulate([member], [ask("r1", 0, base_minutes=90.0)])
    assert (log["r1"].assigned_at, log["r1"].started, log["r1"].finished) == (100, 100, 230)


def test_a_member_never_holds_more_than_their_capacity() -> None:
    member = worker(capacity=2)
    _, log = simulate([member], [ask("r1", 0, base_minutes=10.0), ask("r2", 1), ask("r3", 2)])
    assert log["r2"].assigned_at == 1
    assert log["r3"].assigned_at == 10  # when r1 is done and a place frees up


def test_waiting_requests_go_out_most_urgent_first_then_oldest() -> None:
    requests = [
        ask("r1", 0, base_minutes=60.0),
        ask("r2", 1, urgency="low"),
        ask("r3", 2, urgency="high"),
        ask("r4", 3, urgency="low"),
    ]
    _, log = simulate([worker(capacity=1)], requests)
    assert log["r3"].assigned_at == 60
    assert log["r2"].assigned_at == log["r3"].finished
    assert log["r4"].assigned_at == log["r2"].finished


@pytest.mark.parametrize(("level", "minutes"), [(1, 120.0), (2, 90.0), (3, 72.0), (4, 60.0), (5, 51.0)])
def test_work_time_follows_the_members_level(level: int, minutes: float) -> None:
    _, log = simulate([worker(skills={"agenda": level})], [ask("r1", 0, base_minutes=60.0)])
    assert log["r1"].finished == pytest.approx(minutes)


def test_eight_completed_requests_in_a_skill_raise_its_level() -> None:
    member = worker(skills={"agenda": 2}, capacity=1)
    requests = [ask(f"r{k}", k, base_minutes=60.0) for k in range(9)]
    result, log = simulate([member], requests)
    durations = [log[f"r{k}"].finished - log[f"r{k}"].started for k in range(9)]  # type: ignore[operator]
    assert durations == pytest.approx([90.0] * 8 + [72.0])
    assert result.level_ups == 1


def test_eight_development_assignments_make_a_learner_able_to_take_the_skill() -> None:
    buddy = worker("anouk", shifts=[(0.0, 1000.0)])
    learner = worker("bram", skills={}, learning=["agenda"], shifts=[(0.0, 2000.0)])
    requests = [ask("r0", 0, urgency="high", base_minutes=20.0)]
    requests += [ask(f"r{k}", 50 * k, urgency="low", base_minutes=20.0) for k in range(1, 9)]
    requests.append(ask("r9", 1100, urgency="low", base_minutes=20.0))  # the buddy is gone
    policy = Policy(development_share=1.0)
    result, log = simulate([buddy, learner], requests, policy)
    assert log["r0"].member == "anouk"
    for k in range(1, 9):
        assert (log[f"r{k}"].member, log[f"r{k}"].development) == ("bram", True)
        assert log[f"r{k}"].finished - log[f"r{k}"].started == pytest.approx(40.0)  # type: ignore[operator]
    assert (log["r9"].member, log["r9"].development) == ("bram", False)
    assert result.development_share == pytest.approx(8 / 10)


def test_a_request_nobody_can_take_counts_as_done_when_the_last_shift_ends() -> None:
    result, log = simulate([worker()], [ask("r1", 0, skill="events"), ask("r2", 5)])
    assert log["r1"].member is None
    assert result.unfinished == 1
    assert result.mean_minutes == (1000 + 30) / 2  # r1 censored at the shift's end, r2 done in 30
    assert result.on_time_share == 0.5


def test_the_metrics_count_on_time_and_completion_times() -> None:
    requests = [ask("r1", 0), ask("r2", 0, due=60.0), ask("r3", 0, due=70.0)]
    result, _ = simulate([worker()], requests)
    assert result.on_time_share == pytest.approx(2 / 3)
    assert result.mean_minutes == pytest.approx(60.0)
    assert (result.p50_minutes, result.p90_minutes) == (60.0, 90.0)


def test_gini_is_zero_when_equal_and_grows_with_concentration() -> None:
    assert gini([100.0, 100.0, 100.0]) == 0.0
    assert gini([0.0, 0.0, 300.0]) == pytest.approx(2 / 3)
    assert 0.0 < gini([50.0, 100.0, 150.0]) < 2 / 3
