"""Two policies on one trace, side by side: the pool's current policy and a proposed one on the
pool's own last weeks (try before adopting). Team figures only, per policy and per week."""

from __future__ import annotations

import math
from collections.abc import Callable

import msgspec

from services.routing.decision import Policy
from services.simulation.engine import Simulation, run
from services.simulation.metrics import outcome
from services.simulation.trace import WEEK, Trace


class Figures(msgspec.Struct, frozen=True):
    mean_minutes: float | None  # arrival → done (None: no requests)
    p90_minutes: float | None
    on_time_share: float | None
    busy_gini: float
    development_share: float
    unfinished: int


class Week(msgspec.Struct, frozen=True):
    week: int  # 0 = the first week of the trace
    requests: int
    current_mean_minutes: float | None
    proposed_mean_minutes: float | None


class Comparison(msgspec.Struct, frozen=True):
    requests: int
    members: int
    current: Figures
    proposed: Figures
    weeks: list[Week]


def _known(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 1)


def _figures(simulation: Simulation) -> Figures:
    o = outcome(simulation, "")
    return Figures(
        mean_minutes=_known(o.mean_minutes),
        p90_minutes=_known(o.p90_minutes),
        on_time_share=o.on_time_share if o.requests else None,
        busy_gini=round(o.busy_gini, 3),
        development_share=o.development_share,
        unfinished=o.unfinished,
    )


def _weekly_means(simulation: Simulation) -> dict[int, list[float]]:
    found: dict[int, list[float]] = {}
    for r in simulation.requests:
        job = simulation.jobs.get(r.id)
        done = job.finished if job is not None and job.finished is not None else max(simulation.end, r.arrival)
        found.setdefault(int(r.arrival // WEEK), []).append(done - r.arrival)
    return found


def compare(
    trace: Trace, current: Policy, proposed: Policy, progress: Callable[[float], None] | None = None
) -> Comparison:
    """Run both policies over `trace`; `progress` hears 0..1 as the two runs go."""

    def half(offset: float) -> Callable[[float], None] | None:
        if progress is None:
            return None
        report = progress
        return lambda done: report(offset + done / 2)

    before = run(trace, current, half(0.0))
    after = run(trace, proposed, half(0.5))
    if progress is not None:
        progress(1.0)
    a, b = _weekly_means(before), _weekly_means(after)
    weeks = [
        Week(
            week=k,
            requests=len(a[k]),
            current_mean_minutes=round(sum(a[k]) / len(a[k]), 1),
            proposed_mean_minutes=round(sum(b[k]) / len(b[k]), 1),
        )
        for k in sorted(a)
    ]
    return Comparison(
        requests=len(trace.requests),
        members=len(trace.members),
        current=_figures(before),
        proposed=_figures(after),
        weeks=weeks,
    )
