"""The pool simulator: its shared rules on tiny traces, the trace generator, the command
line, and the acceptance bar for the secpool policy on generated two-week traces."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import msgspec
import pytest

from services.routing import trace as traces
from services.routing.decision import LEAST_LOADED, POLICIES, SECPOOL, Policy
from services.routing.simulator import Handling, Outcome, gini, main, simulate
from services.routing.trace import DAY, Trace, TraceMember, TraceRequest


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


def run(
    members: list[TraceMember], requests: list[TraceRequest], policy: Policy = LEAST_LOADED
) -> tuple[Outcome, dict[str, Handling]]:
    outcome, handlings = simulate(Trace(members, requests), "test", policy)
    return outcome, {h.id: h for h in handlings}


def test_a_member_works_on_one_request_at_a_time() -> None:
    _, log = run([worker()], [ask("r1", 0), ask("r2", 1)])
    assert (log["r1"].started, log["r1"].finished) == (0, 30)
    assert (log["r2"].assigned_at, log["r2"].started, log["r2"].finished) == (1, 30, 60)


def test_the_most_pressing_held_request_is_worked_on_first() -> None:
    requests = [ask("r1", 0), ask("r2", 1, due=500), ask("r3", 2, due=100)]
    _, log = run([worker()], requests)
    assert log["r3"].started == 30
    assert log["r2"].started == 60


@pytest.mark.parametrize("shifts", [[(100.0, 160.0), (200.0, 300.0)], [(200.0, 300.0), (100.0, 160.0)]])
def test_work_waits_for_the_shift_and_pauses_between_shifts(shifts: list[tuple[float, float]]) -> None:
    member = worker(shifts=shifts)
    _, log = run([member], [ask("r1", 0, base_minutes=90.0)])
    assert (log["r1"].assigned_at, log["r1"].started, log["r1"].finished) == (100, 100, 230)


def test_a_member_never_holds_more_than_their_capacity() -> None:
    member = worker(capacity=2)
    _, log = run([member], [ask("r1", 0, base_minutes=10.0), ask("r2", 1), ask("r3", 2)])
    assert log["r2"].assigned_at == 1
    assert log["r3"].assigned_at == 10  # when r1 is done and a place frees up


def test_waiting_requests_go_out_most_urgent_first_then_oldest() -> None:
    requests = [
        ask("r1", 0, base_minutes=60.0),
        ask("r2", 1, urgency="low"),
        ask("r3", 2, urgency="high"),
        ask("r4", 3, urgency="low"),
    ]
    _, log = run([worker(capacity=1)], requests)
    assert log["r3"].assigned_at == 60
    assert log["r2"].assigned_at == log["r3"].finished
    assert log["r4"].assigned_at == log["r2"].finished


@pytest.mark.parametrize(("level", "minutes"), [(1, 120.0), (2, 90.0), (3, 72.0), (4, 60.0), (5, 51.0)])
def test_work_time_follows_the_members_level(level: int, minutes: float) -> None:
    _, log = run([worker(skills={"agenda": level})], [ask("r1", 0, base_minutes=60.0)])
    assert log["r1"].finished == pytest.approx(minutes)


def test_eight_completed_requests_in_a_skill_raise_its_level() -> None:
    member = worker(skills={"agenda": 2}, capacity=1)
    requests = [ask(f"r{k}", k, base_minutes=60.0) for k in range(9)]
    outcome, log = run([member], requests)
    durations = [log[f"r{k}"].finished - log[f"r{k}"].started for k in range(9)]  # type: ignore[operator]
    assert durations == pytest.approx([90.0] * 8 + [72.0])
    assert outcome.level_ups == 1


def test_eight_development_assignments_make_a_learner_able_to_take_the_skill() -> None:
    buddy = worker("anouk", shifts=[(0.0, 1000.0)])
    learner = worker("bram", skills={}, learning=["agenda"], shifts=[(0.0, 2000.0)])
    requests = [ask("r0", 0, urgency="high", base_minutes=20.0)]
    requests += [ask(f"r{k}", 50 * k, urgency="low", base_minutes=20.0) for k in range(1, 9)]
    requests.append(ask("r9", 1100, urgency="low", base_minutes=20.0))  # the buddy is gone
    policy = Policy(development_share=1.0)
    outcome, log = run([buddy, learner], requests, policy)
    assert log["r0"].member == "anouk"
    for k in range(1, 9):
        assert (log[f"r{k}"].member, log[f"r{k}"].development) == ("bram", True)
        assert log[f"r{k}"].finished - log[f"r{k}"].started == pytest.approx(40.0)  # type: ignore[operator]
    assert (log["r9"].member, log["r9"].development) == ("bram", False)
    assert outcome.development_share == pytest.approx(8 / 10)


def test_a_request_nobody_can_take_stays_unfinished() -> None:
    outcome, log = run([worker()], [ask("r1", 0, skill="events"), ask("r2", 5)])
    assert log["r1"].member is None
    assert outcome.unfinished == 1
    assert outcome.mean_minutes == 5 + 30 - 5


def test_the_metrics_count_on_time_and_completion_times() -> None:
    requests = [ask("r1", 0), ask("r2", 0, due=60.0), ask("r3", 0, due=70.0)]
    outcome, _ = run([worker()], requests)
    assert outcome.on_time_share == pytest.approx(2 / 3)
    assert outcome.mean_minutes == pytest.approx(60.0)
    assert (outcome.p50_minutes, outcome.p90_minutes) == (60.0, 90.0)


def test_gini_is_zero_when_equal_and_grows_with_concentration() -> None:
    assert gini([100.0, 100.0, 100.0]) == 0.0
    assert gini([0.0, 0.0, 300.0]) == pytest.approx(2 / 3)
    assert 0.0 < gini([50.0, 100.0, 150.0]) < 2 / 3


def test_the_generator_is_deterministic_for_a_seed() -> None:
    assert traces.generate(12, 14, seed=7) == traces.generate(12, 14, seed=7)
    assert traces.generate(12, 14, seed=7) != traces.generate(12, 14, seed=8)


def test_a_generated_office_works_weekdays_with_busy_mornings() -> None:
    trace = traces.generate(30, 14, seed=1)
    assert 0.6 <= float(trace.meta["load"]) <= 0.8
    arrivals = [r.arrival for r in trace.requests]
    assert all(a // DAY % 7 < 5 and 8 * 60 <= a % DAY < 18 * 60 for a in arrivals)
    morning = sum(1 for a in arrivals if 9 * 60 <= a % DAY < 12 * 60) / 3
    afternoon = sum(1 for a in arrivals if 13 * 60 <= a % DAY < 17 * 60) / 4
    assert morning > 1.3 * afternoon
    shifts = [s for m in trace.members for s in m.shifts]
    assert all(start // DAY % 7 < 5 and start < end for start, end in shifts)
    minutes = sorted(sum(end - start for start, end in m.shifts) for m in trace.members)
    assert minutes[0] < 0.7 * minutes[-1]  # part-timers


def test_a_generated_pool_has_experts_learners_and_two_languages() -> None:
    trace = traces.generate(12, 14, seed=1)
    experts = [m for m in trace.members if max(m.skills.values()) >= 4]
    learners = [m for m in trace.members if m.learning]
    assert 2 <= len(experts) <= 6
    assert 3 <= len(learners) <= 8
    assert all(m.skills.get(s, 0) <= 2 for m in learners for s in m.learning)
    assert sum(1 for m in trace.members if m.languages == ["en", "nl"]) > len(trace.members) / 2
    english = [r for r in trace.requests if r.language == "en"]
    assert 0.05 < len(english) / len(trace.requests) < 0.3
    assert {r.urgency for r in trace.requests} == {"low", "normal", "high"}
    assert all(r.due > r.arrival for r in trace.requests)


def test_a_trace_round_trips_through_its_json_file(tmp_path: Path) -> None:
    trace = traces.generate(6, 5, seed=3)
    traces.save(trace, tmp_path / "trace.json")
    assert traces.load(tmp_path / "trace.json") == trace


def test_the_command_line_generates_a_trace_then_compares_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace_file, metrics, log = tmp_path / "t.json", tmp_path / "m.json", tmp_path / "log.jsonl"
    assert main(["--generate", str(trace_file), "--members", "6", "--days", "5"]) == 0
    assert "requests for 6 members" in capsys.readouterr().out
    argv = ["--trace", str(trace_file), "--policy", "secpool", "least_loaded"]
    assert main([*argv, "--json", str(metrics), "--log", str(log)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[0] == "policy"
    assert [row.split()[0] for row in table[1:]] == ["secpool", "least_loaded"]
    outcomes = msgspec.json.decode(metrics.read_bytes(), type=list[Outcome])
    assert [o.policy for o in outcomes] == ["secpool", "least_loaded"]
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(records) == 2 * outcomes[0].requests
    assert set(records[0]) >= {"id", "member", "assigned_at", "started", "finished", "development"}


@pytest.mark.parametrize(("members", "seed"), [(12, 1), (12, 2), (30, 1), (30, 2)])
def test_secpool_beats_every_baseline_while_it_develops_people(members: int, seed: int) -> None:
    trace = traces.generate(members, 14, seed)
    results = {name: simulate(trace, name, policy)[0] for name, policy in POLICIES.items()}
    ours = results.pop("secpool")
    baselines = list(results.values())
    assert ours.on_time_share >= max(b.on_time_share for b in baselines)
    assert ours.mean_minutes <= 0.9 * min(b.mean_minutes for b in baselines)
    assert ours.p90_minutes <= min(b.p90_minutes for b in baselines)
    assert ours.development_share >= 0.08
    assert ours.busy_gini <= min(b.busy_gini for b in baselines) + 0.02
    assert not math.isnan(ours.mean_minutes)
    assert POLICIES["secpool"] == SECPOOL  # the defaults under test are the shipped ones


def test_the_command_line_refuses_an_empty_pool(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--generate", "unused.json", "--members", "0"])
    assert refused.value.code == 2
    assert "at least 1" in capsys.readouterr().err
