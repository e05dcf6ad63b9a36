"""How long one routing decision takes for pools of 20, 200 and 2,000 members, for the
secpool policy (the default the pool runs) and, for comparison, the least_loaded baseline.

Prints the median, p90 and p99 microseconds per decide() call and writes them as JSON.
Run: python benchmarks/decision_bench.py [--out benchmarks/results/decision.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from services.routing.decision import POLICIES, Candidate, Policy, Routable, decide

SIZES = (20, 200, 2000)
SKILLS = ("agenda", "travel", "minutes", "events", "expenses", "documents", "onboarding")


def pool(size: int, rng: random.Random) -> list[Candidate]:
    """A pool the way routing sees it mid-morning: most on duty, some full, a few learners."""
    members = []
    for k in range(size):
        capacity = rng.choice((3, 4, 5))
        members.append(
            Candidate(
                member_id=f"m{k:05d}",
                skills={s: rng.randint(1, 5) for s in rng.sample(SKILLS, 4)},
                learning=tuple(rng.sample(SKILLS, 1)) if rng.random() < 0.2 else (),
                languages=("en", "nl") if rng.random() < 0.85 else ("nl",),
                capacity=capacity,
                open_count=rng.randint(0, capacity),
                available=rng.random() < 0.9,
                shift=rng.choice(("on shift",) * 8 + ("off shift", "absent")),
                busy_minutes_today=rng.uniform(0, 400),
                served_requester=rng.random() < 0.1,
                queued_minutes=rng.uniform(0, 180),
                shift_left_minutes=rng.uniform(0, 480),
                off_shift_minutes=900.0,
            )
        )
    return members


def requests(rng: random.Random, count: int) -> list[Routable]:
    return [
        Routable(
            request_id=f"r{k}",
            requester="staff-001",
            skill=rng.choice(SKILLS),
            min_level=rng.choice((1, 1, 2, 3)),
            language=rng.choice(("nl", "nl", "en")),
            urgency=rng.choice(("low", "normal", "normal", "high")),
            slack_minutes=rng.uniform(60, 1500),
            base_minutes=rng.uniform(15, 120),
        )
        for k in range(count)
    ]


def time_per_decision(size: int, policy: Policy, runs: int) -> dict[str, float]:
    rng = random.Random(size)
    members, work = pool(size, rng), requests(rng, 64)
    for r in work[:8]:  # warm up
        decide(r, members, policy, development_so_far=0.05)
    samples = []
    for k in range(runs):
        r = work[k % len(work)]
        started = time.perf_counter_ns()
        decide(r, members, policy, development_so_far=0.05)
        samples.append((time.perf_counter_ns() - started) / 1000)
    samples.sort()
    return {
        "median_us": round(statistics.median(samples), 1),
        "p90_us": round(samples[int(0.9 * (len(samples) - 1))], 1),
        "p99_us": round(samples[int(0.99 * (len(samples) - 1))], 1),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/decision.json"))
    parser.add_argument("--runs", type=int, default=2000, help="decisions timed for 200 members")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'policy':<13}{'members':>8}{'median µs':>11}{'p90 µs':>9}{'p99 µs':>9}")
    for name in ("secpool", "least_loaded"):
        results[name] = {}
        for size in SIZES:
            # Bigger pools get fewer runs, so every size takes about the same time.
            runs = max(100, args.runs * 200 // size)
            timing = time_per_decision(size, POLICIES[name], runs)
            results[name][str(size)] = timing
            print(f"{name:<13}{size:>8}{timing['median_us']:>11.1f}{timing['p90_us']:>9.1f}{timing['p99_us']:>9.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": sys.version.split()[0], "machine": platform.machine()}
    args.out.write_text(json.dumps({"machine": machine, "decide": results}, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
