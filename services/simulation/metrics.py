"""What a simulation run shows, as team figures: completion times, on time, how evenly the
work was spread (Gini of busy time), development share, level-ups, and the error of the
expected pick-up announced to requesters."""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec

from services.routing.pickup import NOW_MINUTES
from services.simulation.engine import Simulation


class Outcome(msgspec.Struct, frozen=True):
    policy: str
    requests: int
    mean_minutes: float  # arrival → done; unfinished work counts as done when the trace ends
    p50_minutes: float
    p90_minutes: float
    on_time_share: float
    busy_gini: float
    development_share: float
    level_ups: int
    unfinished: int
    # |expected − actual| pick-up minutes (None: not measured): over every request picked up, and
    # over those that waited (expected or actual later than a few minutes), where it matters.
    pickup_error_p50: float | None = None
    pickup_error_p90: float | None = None
    waited_error_p50: float | None = None
    waited_error_p90: float | None = None
    waited_share: float | None = None
    pickup_in_range: float | None = None  # share of the waited ones picked up inside the announced range


def outcome(run: Simulation, name: str) -> Outcome:
    done: list[float] = []
    on_time = unfinished = 0
    for r in run.requests:
        job = run.jobs.get(r.id)
        finished = job.finished if job is not None else None
        if finished is None:
            unfinished += 1
            done.append(max(run.end, r.arrival) - r.arrival)
            continue
        done.append(finished - r.arrival)
        on_time += finished <= r.due
    done.sort()
    n = max(len(run.requests), 1)
    busy = [sum(m.busy_by_day.values()) for m in run.members]
    errors = sorted(abs(p.actual - p.expected) for p in run.pickups)
    waited = [p for p in run.pickups if max(p.actual, p.expected) > NOW_MINUTES]
    waited_errors = sorted(abs(p.actual - p.expected) for p in waited)
    return Outcome(
        policy=name,
        requests=len(run.requests),
        mean_minutes=sum(done) / len(done) if done else math.nan,
        p50_minutes=percentile(done, 0.5),
        p90_minutes=percentile(done, 0.9),
        on_time_share=on_time / n,
        busy_gini=gini(busy),
        development_share=sum(j.development for j in run.jobs.values()) / n,
        level_ups=run.level_ups,
        unfinished=unfinished,
        pickup_error_p50=known(percentile(errors, 0.5)),
        pickup_error_p90=known(percentile(errors, 0.9)),
        waited_error_p50=known(percentile(waited_errors, 0.5)),
        waited_error_p90=known(percentile(waited_errors, 0.9)),
        waited_share=len(waited) / len(errors) if errors else None,
        pickup_in_range=sum(p.inside for p in waited) / len(waited) if waited else None,
    )


def known(value: float) -> float | None:
    return None if math.isnan(value) else value


def percentile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank percentile of sorted values (NaN for none)."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def gini(values: Sequence[float]) -> float:
    """0 when everyone is equally busy, towards 1 when one member does all the work."""
    total = sum(values)
    if not values or total <= 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((k + 1) * v for k, v in enumerate(ordered))
    n = len(ordered)
    return 2 * weighted / (n * total) - (n + 1) / n
