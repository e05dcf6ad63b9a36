"""The family generator: seeded, an office's rhythm, and each family's own character."""

from __future__ import annotations

from pathlib import Path

import msgspec

from services.simulation import trace as traces
from services.simulation.families import FAMILIES, HELD_OUT_SEEDS, TRAINING_SEEDS, Family, family
from services.simulation.generate import generate
from services.simulation.trace import DAY

SMALL = Family(name="tiny", about="test pool", sizes=(6, 8), loads=(0.6, 0.7), days=3)


def test_a_family_and_seed_always_give_the_same_pool() -> None:
    assert generate(SMALL, 7) == generate(SMALL, 7)
    assert generate(SMALL, 7) != generate(SMALL, 8)


def test_tuning_never_sees_the_held_out_seeds() -> None:
    assert not set(TRAINING_SEEDS) & set(HELD_OUT_SEEDS)
    assert len(HELD_OUT_SEEDS) >= len(TRAINING_SEEDS)


def test_the_families_cover_the_range_the_suite_promises() -> None:
    sizes = [n for f in FAMILIES for n in f.sizes]
    loads = [x for f in FAMILIES for x in f.loads]
    assert (min(sizes), max(sizes)) == (6, 60)
    assert min(loads) <= 0.5 and max(loads) >= 0.95
    assert {f.skill_mix for f in FAMILIES} == {"mixed", "specialist", "generalist"}
    assert {"language-mix", "urgent-heavy", "part-time", "monday-burst"} <= {f.name for f in FAMILIES}


def test_a_generated_office_works_weekdays_with_busy_mornings() -> None:
    trace = generate(family("large-mixed"), 1)
    arrivals = [r.arrival for r in trace.requests]
    assert all(a // DAY % 7 < 5 and 8 * 60 <= a % DAY < 18 * 60 for a in arrivals)
    morning = sum(1 for a in arrivals if 9 * 60 <= a % DAY < 12 * 60) / 3
    afternoon = sum(1 for a in arrivals if 13 * 60 <= a % DAY < 17 * 60) / 4
    assert morning > 1.3 * afternoon
    shifts = [s for m in trace.members for s in m.shifts]
    assert all(start // DAY % 7 < 5 and start < end for start, end in shifts)


def test_the_load_drawn_is_the_load_offered() -> None:
    for f in (family("small-generalist"), family("high-load")):
        for seed in (1, 2):
            load = float(generate(f, seed).meta["load"])
            assert f.loads[0] - 0.08 <= load <= f.loads[1] + 0.08


def test_a_part_time_family_has_many_short_weeks() -> None:
    office, part_time = generate(family("large-mixed"), 3), generate(family("part-time"), 3)

    def short_weeks(trace: traces.Trace) -> float:
        minutes = [sum(e - s for s, e in m.shifts) for m in trace.members]
        return sum(1 for m in minutes if m < 0.8 * max(minutes)) / len(minutes)

    assert short_weeks(part_time) > short_weeks(office) + 0.2


def test_a_monday_burst_brings_more_work_on_monday_morning() -> None:
    trace = generate(family("monday-burst"), 1)
    monday = sum(1 for r in trace.requests if r.arrival // DAY == 0 and r.arrival % DAY < 12 * 60)
    tuesday = sum(1 for r in trace.requests if r.arrival // DAY == 1 and r.arrival % DAY < 12 * 60)
    assert monday > 2 * tuesday


def test_a_generated_pool_has_experts_learners_and_two_languages() -> None:
    trace = generate(family("language-mix"), 2)
    assert [m for m in trace.members if max(m.skills.values(), default=0) >= 4]
    learners = [m for m in trace.members if m.learning]
    assert learners and all(m.skills.get(s, 0) <= 1 for m in learners for s in m.learning)
    english = sum(1 for r in trace.requests if r.language == "en") / len(trace.requests)
    assert 0.3 < english < 0.5
    assert any(m.languages == ["nl"] for m in trace.members)
    assert {r.urgency for r in trace.requests} == {"low", "normal", "high"}
    assert all(r.due > r.arrival and r.estimate_minutes for r in trace.requests)


def test_every_request_has_someone_who_may_take_it() -> None:
    for f in FAMILIES:
        trace = generate(f, 1)
        for r in trace.requests[:200]:
            assert any(m.skills.get(r.skill, 0) >= r.min_level and r.language in m.languages for m in trace.members)


def test_a_trace_round_trips_through_its_json_file(tmp_path: Path) -> None:
    trace = generate(SMALL, 3)
    traces.save(trace, tmp_path / "trace.json")
    assert traces.load(tmp_path / "trace.json") == trace
    assert msgspec.json.decode((tmp_path / "trace.json").read_bytes())["meta"]["family"] == "tiny"
