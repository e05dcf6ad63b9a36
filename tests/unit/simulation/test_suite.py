"""The evaluation suite end to end on a small run, its bar, and the command line (table, JSON,
plot, a single trace's comparison and log)."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from services.routing.decision import SECPOOL
from services.simulation.cli import main
from services.simulation.families import Family
from services.simulation.metrics import Outcome
from services.simulation.suite import Figures, SuiteResult, checks, run_suite

TINY = Family(name="tiny", about="a small test pool", sizes=(6, 8), loads=(0.6, 0.7), days=3)


def figures(policy: str, **changes: float) -> Figures:
    values = {"mean_minutes": 100.0, "p90_minutes": 300.0, "on_time_share": 0.95, "busy_gini": 0.2}
    values |= changes
    return Figures(
        policy=policy,
        development_share=changes.get("development_share"),
        unfinished=0.0,
        **{k: v for k, v in values.items() if k != "development_share"},
    )


def test_a_small_suite_runs_every_policy_on_every_seed_and_judges_the_bar() -> None:
    result = run_suite(SECPOOL, families=[TINY], seeds=(1, 2), split="training")
    [family] = result.families
    assert [f.policy for f in family.figures] == ["secpool", "round_robin", "least_loaded", "most_skilled"]
    assert [p["seed"] for p in family.pools] == [1, 2]
    assert {c.name for c in family.checks} >= {"on_time", "mean", "p90", "gini"}
    assert family.passed == all(c.passed for c in family.checks)
    assert result.passed == family.passed
    ours = family.figures[0]
    assert ours.pickup_error_p50 is not None  # the expected pick-up is measured for secpool
    assert family.figures[1].pickup_error_p50 is None
    assert msgspec.json.decode(msgspec.json.encode(result), type=SuiteResult) == result


def test_the_bar_compares_with_the_best_baseline_for_each_figure() -> None:
    baselines = [
        figures("a", mean_minutes=200.0, busy_gini=0.3),
        figures("b", mean_minutes=250.0, p90_minutes=400.0, busy_gini=0.25),
    ]
    passing = figures("secpool", mean_minutes=170.0, p90_minutes=300.0, on_time_share=0.95, busy_gini=0.27)
    assert all(c.passed for c in checks(passing, baselines))
    by_name = {c.name: c for c in checks(figures("secpool", mean_minutes=171.0, busy_gini=0.28), baselines)}
    assert not by_name["mean"].passed  # 171 > 0.85 × 200
    assert not by_name["gini"].passed  # 0.28 > 0.25 + 0.02
    assert "development" not in by_name  # no learners: not judged
    late = checks(figures("secpool", mean_minutes=10.0, on_time_share=0.94, development_share=0.07), baselines)
    assert {c.name for c in late if not c.passed} == {"on_time", "development"}


def test_the_suite_command_writes_its_table_json_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, picture = tmp_path / "suite.json", tmp_path / "suite.png"
    argv = ["--suite", "--family", "small-generalist", "--seeds", "1", "--json", str(out), "--plot", str(picture)]
    code = main(argv)
    table = capsys.readouterr().out
    assert "| small-generalist |" in table and "held-out seeds" in table
    result = msgspec.json.decode(out.read_bytes(), type=SuiteResult)
    assert [f.family for f in result.families] == ["small-generalist"]
    assert code == (0 if result.passed else 1)
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["--report", str(out)]) == code
    assert capsys.readouterr().out == table


def test_the_command_line_generates_a_trace_then_compares_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace_file, metrics, log = tmp_path / "t.json", tmp_path / "m.json", tmp_path / "log.jsonl"
    assert main(["--generate", str(trace_file), "--family", "small-generalist", "--seed", "4"]) == 0
    assert "family small-generalist" in capsys.readouterr().out
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


def test_the_command_line_refuses_a_seed_count_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--suite", "--seeds", "0"])
    assert refused.value.code == 2
    assert "at least 1" in capsys.readouterr().err
