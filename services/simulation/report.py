"""The suite's results as text: a Markdown table per family (the README's) and every policy's
figures, and a single trace's comparison table."""

from __future__ import annotations

import math
from collections.abc import Sequence

from services.simulation.metrics import Outcome
from services.simulation.suite import FamilyResult, Figures, SuiteResult


def _pct(v: float | None) -> str:
    return "–" if v is None or math.isnan(v) else f"{v:.1%}"


def _min(v: float | None) -> str:
    return "–" if v is None or math.isnan(v) else f"{v:,.0f}"


def _best(figures: Sequence[Figures], field: str, *, highest: bool = False) -> Figures:
    pick = max if highest else min
    return pick(figures, key=lambda f: float(getattr(f, field)))


def _sizes(r: FamilyResult) -> str:
    members = [int(p["members"]) for p in r.pools]
    loads = [float(p["load"]) for p in r.pools]
    return f"{min(members)}–{max(members)} / {min(loads):.2f}–{max(loads):.2f}"


def suite_table(result: SuiteResult) -> str:
    """One row per family: secpool against the best baseline for each figure."""
    rows = [
        "| family | members / load | on time (best baseline) | mean completion vs best | p90 min (best) "
        "| Gini (best) | development | pick-up error median / p90 min: all (waited) | waited in range | passes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result.families:
        ours, baselines = r.figures[0], r.figures[1:]
        on_time = _best(baselines, "on_time_share", highest=True)
        mean, p90, gini = (_best(baselines, f) for f in ("mean_minutes", "p90_minutes", "busy_gini"))
        failed = [c.name for c in r.checks if not c.passed]
        rows.append(
            f"| {r.family} | {_sizes(r)} "
            f"| {_pct(ours.on_time_share)} ({_pct(on_time.on_time_share)} {on_time.policy}) "
            f"| {ours.mean_minutes / mean.mean_minutes:.2f}× ({_min(ours.mean_minutes)} vs "
            f"{_min(mean.mean_minutes)} {mean.policy}) "
            f"| {_min(ours.p90_minutes)} ({_min(p90.p90_minutes)} {p90.policy}) "
            f"| {ours.busy_gini:.3f} ({gini.busy_gini:.3f} {gini.policy}) "
            f"| {_pct(ours.development_share)} "
            f"| {_min(ours.pickup_error_p50)} / {_min(ours.pickup_error_p90)} "
            f"({_min(ours.waited_error_p50)} / {_min(ours.waited_error_p90)}) "
            f"| {_pct(ours.pickup_in_range)} "
            f"| {'yes' if r.passed else 'NO: ' + ', '.join(failed)} |"
        )
    verdict = "every family passes" if result.passed else "NOT every family passes"
    seeds = sorted({s for r in result.families for s in r.seeds})
    return "\n".join([*rows, "", f"{result.split} seeds {seeds[0]}–{seeds[-1]}: {verdict}."])


def figures_table(result: SuiteResult) -> str:
    """Every policy's figures in every family."""
    header = (
        f"{'family':<18}{'policy':<14}{'mean min':>9}{'p90':>7}{'on time':>9}{'gini':>7}{'develop':>9}{'unfin.':>8}"
    )
    rows = [header]
    for r in result.families:
        for f in r.figures:
            rows.append(
                f"{r.family:<18}{f.policy:<14}{f.mean_minutes:>9.0f}{f.p90_minutes:>7.0f}{f.on_time_share:>9.1%}"
                f"{f.busy_gini:>7.3f}{_pct(f.development_share):>9}{f.unfinished:>8.1f}"
            )
    return "\n".join(rows)


def trace_table(outcomes: Sequence[Outcome]) -> str:
    """Policies compared on one trace."""
    header = (
        f"{'policy':<13}{'mean min':>9}{'p50':>7}{'p90':>7}{'on time':>9}"
        f"{'gini':>7}{'develop':>9}{'level-ups':>10}{'unfinished':>11}"
    )
    rows = [
        f"{o.policy:<13}{o.mean_minutes:>9.0f}{o.p50_minutes:>7.0f}{o.p90_minutes:>7.0f}"
        f"{o.on_time_share:>9.1%}{o.busy_gini:>7.3f}{o.development_share:>9.1%}"
        f"{o.level_ups:>10}{o.unfinished:>11}"
        for o in outcomes
    ]
    return "\n".join([header, *rows])
