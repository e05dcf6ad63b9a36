"""The evaluation suite: every family's pools on the training or held-out seeds, the secpool
policy against every baseline, and the bar it must clear per family.

The bar (held-out seeds, per family, each figure the mean over the family's pools): on time at
least the best baseline's, mean completion at most 0.85 times the best baseline's, p90 at
most the best baseline's, development at least 8 % (pools with learners), Gini of busy time
at most the best baseline's plus 0.02.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence

import msgspec

from services.routing.decision import BASELINES, POLICIES, Policy
from services.simulation.engine import run
from services.simulation.families import FAMILIES, HELD_OUT_SEEDS, TRAINING_SEEDS, Family
from services.simulation.generate import generate
from services.simulation.metrics import Outcome, outcome

MEAN_RATIO, DEVELOPMENT, GINI_MARGIN = 0.85, 0.08, 0.02


class Figures(msgspec.Struct, frozen=True):
    """One policy over one family's pools: the mean of each pool's figure."""

    policy: str
    mean_minutes: float
    p90_minutes: float
    on_time_share: float
    busy_gini: float
    development_share: float | None  # over the pools with learners (None: none has any)
    unfinished: float
    pickup_error_p50: float | None = None  # only measured for secpool
    pickup_error_p90: float | None = None
    waited_error_p50: float | None = None
    waited_error_p90: float | None = None
    pickup_in_range: float | None = None


class Check(msgspec.Struct, frozen=True):
    name: str  # on_time, mean, p90, development, gini
    value: float
    bar: float
    passed: bool


class FamilyResult(msgspec.Struct, frozen=True):
    family: str
    about: str
    seeds: list[int]
    pools: list[dict[str, float | int | str]]  # each pool's size and load
    figures: list[Figures]  # secpool first, then the baselines
    checks: list[Check]
    passed: bool


class SuiteResult(msgspec.Struct, frozen=True):
    split: str  # "held-out" or "training"
    policy: dict[str, object]  # the secpool policy under test
    families: list[FamilyResult]
    passed: bool


def _mean(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.fmean(found) if found else None


def _figures(name: str, outcomes: list[Outcome], learners: list[bool]) -> Figures:
    def m(field: str) -> float | None:
        return _mean([getattr(o, field) for o in outcomes])

    def whole(field: str) -> float:
        value = m(field)
        return math.nan if value is None else value

    return Figures(
        policy=name,
        mean_minutes=whole("mean_minutes"),
        p90_minutes=whole("p90_minutes"),
        on_time_share=whole("on_time_share"),
        busy_gini=whole("busy_gini"),
        development_share=_mean([o.development_share for o, has in zip(outcomes, learners, strict=True) if has]),
        unfinished=whole("unfinished"),
        pickup_error_p50=m("pickup_error_p50"),
        pickup_error_p90=m("pickup_error_p90"),
        waited_error_p50=m("waited_error_p50"),
        waited_error_p90=m("waited_error_p90"),
        pickup_in_range=m("pickup_in_range"),
    )


def checks(ours: Figures, baselines: Sequence[Figures]) -> list[Check]:
    best_on_time = max(b.on_time_share for b in baselines)
    best_mean = min(b.mean_minutes for b in baselines)
    best_p90 = min(b.p90_minutes for b in baselines)
    best_gini = min(b.busy_gini for b in baselines)
    found = [
        Check("on_time", ours.on_time_share, best_on_time, ours.on_time_share >= best_on_time),
        Check("mean", ours.mean_minutes / best_mean, MEAN_RATIO, ours.mean_minutes <= MEAN_RATIO * best_mean),
        Check("p90", ours.p90_minutes, best_p90, ours.p90_minutes <= best_p90),
        Check("gini", ours.busy_gini, best_gini + GINI_MARGIN, ours.busy_gini <= best_gini + GINI_MARGIN),
    ]
    if ours.development_share is not None:
        dev = ours.development_share
        found.append(Check("development", dev, DEVELOPMENT, dev >= DEVELOPMENT))
    return found


def run_family(
    family: Family,
    seeds: Sequence[int],
    policy: Policy,
    progress: Callable[[str], None] | None = None,
) -> FamilyResult:
    per_policy: dict[str, list[Outcome]] = {name: [] for name in ("secpool", *BASELINES)}
    pools: list[dict[str, float | int | str]] = []
    learners: list[bool] = []
    for seed in seeds:
        trace = generate(family, seed)
        pools.append({k: v for k, v in trace.meta.items() if k in ("seed", "members", "load")})
        learners.append(any(m.learning for m in trace.members))
        per_policy["secpool"].append(outcome(run(trace, policy, estimate=True), "secpool"))
        for name in BASELINES:
            per_policy[name].append(outcome(run(trace, POLICIES[name]), name))
        if progress is not None:
            progress(f"{family.name} seed {seed}")
    figures = [_figures(name, outcomes, learners) for name, outcomes in per_policy.items()]
    found = checks(figures[0], figures[1:])
    return FamilyResult(
        family=family.name,
        about=family.about,
        seeds=list(seeds),
        pools=pools,
        figures=figures,
        checks=found,
        passed=all(c.passed for c in found),
    )


def run_suite(
    policy: Policy,
    *,
    split: str = "held-out",
    families: Sequence[Family] = FAMILIES,
    seeds: Sequence[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> SuiteResult:
    """The whole suite for `policy`: held-out seeds (the report) or training seeds (for tuning)."""
    chosen = seeds if seeds is not None else (HELD_OUT_SEEDS if split == "held-out" else TRAINING_SEEDS)
    results = [run_family(f, chosen, policy, progress) for f in families]
    return SuiteResult(
        split=split,
        policy=msgspec.to_builtins(policy),
        families=results,
        passed=all(r.passed for r in results),
    )
