"""`secpool bench`: how fast the whole system is, side by side with the floor.

Starts the stack (services/cli/bench_stack.py), readies the demo pool (every member on shift,
available, with room for every request), signs requesters and members in through the pwa and
subscribes the members' phones to a fake push service. Then it climbs a ladder of request
rates, secpool and the floor (services/cli/bench_floor.py) interleaved at each rate, each on
the same open-loop load generator, until each one stops keeping up: p99 at or over 100 ms,
requests still unanswered once the phase has drained, errors, or the generator short of
the rate. 50/s and 200/s are always measured for secpool. Per phase it takes submit → offer
push received (decrypted) and submit → the requester's SSE update (secpool), submit → offered
on NATS (both), CPU per request per process, SQL statements, transactions and NATS messages
per request. Prints a table, writes JSON and a latency-against-rate plot.
"""

import asyncio
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from services.cli import bench_people, bench_report, bench_store
from services.cli.bench_drive import POOL, SKILL, Floor, Secpool
from services.cli.bench_load import Latency, drive, latency
from services.cli.bench_stack import FLOOR, SECPOOL, SHARED, Counters, Stack
from services.demo import organisation
from services.platform.db import IDLE_CONNECTION_SECONDS

P99_LIMIT_MS = 100.0
# The last quarter's median over the first quarter's: more than this (or than half the first
# quarter's median, on a machine busy enough for slow but steady answers) is a queue growing.
GROWTH_LIMIT_MS = 100.0
GROWTH_SAMPLES = 8
# Answers this slow already in the phase's first quarter mean a queue formed at once: a
# latency of seconds that merely stops growing is not keeping up.
FIRST_QUARTER_LIMIT_MS = 1000.0


class Plan:
    """How long and how far: `quick` fits in 3 minutes on 2 cores."""

    def __init__(
        self, quick: bool, seconds: float | None = None, rates: list[float] | None = None, rest: float | None = None
    ) -> None:
        self.seconds = seconds or (3.0 if quick else 10.0)
        # At rest the pools give back the connections the warm-up opened; memory is read after.
        self.rest = IDLE_CONNECTION_SECONDS + 5 if rest is None else rest
        self.ladder = sorted(
            rates
            or (
                [5, 10, 25, 50, 100, 200, 400, 800, 1600]
                if quick
                else [3, 5, 7, 10, 14, 20, 28, 35, 50, 71, 100, 141, 200, 283, 400, 566, 800, 1131, 1600]
            )
        )
        self.always = (
            [50.0, 200.0] if rates is None else [r for r in (50.0, 200.0) if r in self.ladder]
        )  # measured for secpool even past its limit
        self.drain = 3.0 if quick else 5.0  # a phase's answers must arrive this soon after its last send
        self.settle = 10.0 if quick else 60.0  # then wait this long at most for a backlog to clear
        self.requesters = 10 if quick else 20
        # Besides the demo's 8: room for a phase at 200/s (50 open offers each at most).
        self.members = 12 if quick else 40
        self.warm_up = 2.0


_STARTED = time.monotonic()


def say(line: str) -> None:
    print(f"[{time.monotonic() - _STARTED:5.0f} s] {line}", flush=True)


async def phase(
    system: str,
    stack: Stack,
    target: Secpool | Floor,
    rate: float,
    plan: Plan,
    push_http: httpx.AsyncClient,
    idle: Counters,
) -> dict[str, Any]:
    say(f"  {system:<8} {rate:>6.0f}/s for {plan.seconds:g} s ...")
    if isinstance(target, Secpool):
        await bench_store.free_members(stack.database_url, POOL)
    before = await stack.counters()
    by_query = await bench_store.statements_by_query(stack.database_url) if stack.statements_counted else None
    load = await drive(target.send, rate, plan.seconds)
    sent = load.answered
    ends = target.pushed if isinstance(target, Secpool) else target.offered
    in_time = await arrivals(target, sent, plan.drain, push_http)
    await arrivals(target, sent, plan.settle, push_http)
    after = await stack.counters()
    result: dict[str, Any] = {
        "system": system,
        "rate_per_s": rate,
        "seconds": plan.seconds,
        "achieved_rate_per_s": round(load.achieved_rate, 1),
        "generator_lag_ms": round(load.late_ms, 1),
        "sent": len(load.shots),
        "answered": len(sent),
        "errors": load.errors,
        "arrived_in_time": in_time,
        "arrived": sum(1 for r in sent if r in ends),
    }
    main = latency(sent, ends)
    result["latency"] = {"offered": _shown(latency(sent, target.offered))}
    if isinstance(target, Secpool):
        result["latency"].update({"push": _shown(main), "sse": _shown(latency(sent, target.sse))})
    result.update(costs(system, before, after, len(load.shots), idle))
    if by_query is not None and isinstance(target, Secpool):
        after_by_query = await bench_store.statements_by_query(stack.database_url)
        result["top_statements"] = top_statements(by_query, after_by_query, len(load.shots))
    # Nothing backs up: every request answered and at its end within the drain time, at the
    # rate asked, and the latency not growing through the phase (a queue that grows does).
    result["first_quarter_ms"], result["growth_ms"] = growth(sent, ends)
    result["keeps_up"] = keeps_up(
        all_in_time=in_time == len(sent) == len(load.shots),
        at_rate=load.achieved_rate >= 0.95 * rate,
        samples=len(sent),
        first_quarter_ms=result["first_quarter_ms"],
        growth_ms=result["growth_ms"],
    )
    result["sustained"] = bool(result["keeps_up"] and main is not None and main.p99_ms < P99_LIMIT_MS)
    say("  " + bench_report.phase_line(result))
    return result


async def arrivals(target: Secpool | Floor, sent: dict[str, float], within: float, push_http: httpx.AsyncClient) -> int:
    """Wait (at most `within` seconds) until every sent request reached its end; how many did."""
    ends = target.pushed if isinstance(target, Secpool) else target.offered
    deadline = time.monotonic() + within
    while True:
        if isinstance(target, Secpool):
            await target.collect(push_http)
        count = sum(1 for r in sent if r in ends)
        if count >= len(sent) or time.monotonic() > deadline:
            return count
        await asyncio.sleep(0.1)


def keeps_up(
    *, all_in_time: bool, at_rate: bool, samples: int, first_quarter_ms: float, growth_ms: float | None
) -> bool:
    """Nothing backs up: every request reached its end in time at the rate asked, its latency
    did not grow through the phase (a queue that grows does), and was not already seconds
    in the phase's first quarter."""
    if not (all_in_time and at_rate):
        return False
    if samples < GROWTH_SAMPLES:  # too few to tell a trend from noise
        return True
    return (
        growth_ms is not None
        and first_quarter_ms < FIRST_QUARTER_LIMIT_MS
        and growth_ms < max(GROWTH_LIMIT_MS, first_quarter_ms / 2)
    )


def growth(sent: dict[str, float], ends: dict[str, float]) -> tuple[float, float | None]:
    """The median latency of the phase's first quarter of requests, and how much later the
    median of its last quarter was (None: not measured). A queue that grows grows through the
    phase; noise on a busy machine moves both quarters alike."""
    ordered = sorted(sent.items(), key=lambda item: item[1])
    quarter = max(1, len(ordered) // 4)
    first = [(ends[r] - t) * 1000 for r, t in ordered[:quarter] if r in ends]
    last = [(ends[r] - t) * 1000 for r, t in ordered[-quarter:] if r in ends]
    if not first or not last:
        return 0.0, None
    return round(statistics.median(first), 1), round(statistics.median(last) - statistics.median(first), 1)


def _shown(found: Latency | None) -> dict[str, float] | None:
    return (
        None
        if found is None
        else {
            "p50_ms": found.p50_ms,
            "p95_ms": found.p95_ms,
            "p99_ms": found.p99_ms,
            "max_ms": found.max_ms,
            "count": found.count,
        }
    )


def costs(system: str, before: Counters, after: Counters, requests: int, idle: Counters) -> dict[str, Any]:
    """What the phase cost per request sent: CPU per process (and the system's total with
    PostgreSQL and NATS), statements, transactions, NATS messages — each net of what the whole
    stack does idle (`idle`: per second) over the phase's time, so the other system's timers
    and polling are not charged to this one."""
    n = max(requests, 1)
    span = after.at - before.at

    def net(a: float | None, b: float | None, per_second: float | None) -> float | None:
        return None if a is None or b is None else max(0.0, a - b - (per_second or 0.0) * span) / n

    own = SECPOOL if system == "secpool" else FLOOR
    cpu: dict[str, float] = {}
    for p in (*own, *SHARED):
        cpu[p] = round((net(after.cpu_s[p], before.cpu_s[p], idle.cpu_s.get(p)) or 0.0) * 1000, 2)
    cpu["total"] = round(sum(cpu.values()), 2)
    found: dict[str, Any] = {"cpu_ms_per_request": cpu}
    statements = net(after.statements, before.statements, idle.statements)
    if statements is not None:
        found["sql_statements_per_request"] = round(statements, 1)
    found["transactions_per_request"] = round(net(after.transactions, before.transactions, idle.transactions) or 0, 2)
    messages = net(after.nats_in, before.nats_in, idle.nats_in)
    if messages is not None:
        found["nats_messages_per_request"] = round(messages, 2)
    return found


def top_statements(
    before: dict[tuple[str, str], int], after: dict[tuple[str, str], int], requests: int, shown: int = 60
) -> list[dict[str, Any]]:
    """Where a phase's statements went: the most called, per request sent, with the role (the
    service) that sent them. Gross: the idle background is in it too."""
    calls = sorted(((n - before.get(key, 0), key) for key, n in after.items()), reverse=True)
    return [
        {"role": role, "per_request": round(n / max(requests, 1), 2), "query": " ".join(query.split())[:200]}
        for n, (role, query) in calls[:shown]
        if n > 0
    ]


async def idle_cost(stack: Stack, seconds: float) -> Counters:
    """What the stack does per second with no load (timers, polling, heartbeats)."""
    before = await stack.counters()
    await asyncio.sleep(seconds)
    return (await stack.counters()).per_second_since(before)


async def measure(stack: Stack, plan: Plan) -> dict[str, Any]:
    say(f"adding {plan.members} members to the demo pool ...")
    await bench_people.add_members(stack.database_url, stack.url("pwa"), POOL, plan.members)
    members = await bench_store.members_take_everything(stack.database_url, POOL, SKILL)
    requesters = [p.id for p in organisation().people if p.roles == ["staff"] and POOL in p.pools]
    signed_in = await bench_people.sessions(stack.database_url, [*requesters[: plan.requesters], *members])
    secpool = Secpool(stack.url("pwa"), stack.url("push"), stack.nats_url)
    floor = Floor(stack.url("floor-web"), stack.nats_url)
    phases: list[dict[str, Any]] = []
    try:
        say(f"signing in {plan.requesters} requesters and {len(members)} members, subscribing their phones ...")
        await secpool.open({a: signed_in[a] for a in requesters[: plan.requesters]}, {a: signed_in[a] for a in members})
        await floor.open()
        async with httpx.AsyncClient(timeout=30) as push_http:
            say("warming up ...")
            for target in (secpool, floor):
                warm = await drive(target.send, 10, plan.warm_up)
                await arrivals(target, warm.answered, plan.settle * 2, push_http)
            say(f"resting {plan.rest:g} s, then measuring the idle stack ...")
            idle_rates = await idle_cost(stack, plan.rest)
            idle = await asyncio.to_thread(stack.memory_mib)
            say("climbing the ladder of rates (secpool and the floor interleaved):")
            going = {"secpool": True, "floor": True}
            for rate in plan.ladder:
                for name, target in (("secpool", secpool), ("floor", floor)):
                    if going[name]:
                        result = await phase(name, stack, target, rate, plan, push_http, idle_rates)
                        phases.append(result)
                        going[name] = result["keeps_up"]
                if not any(going.values()):
                    break
            # Past its limit, last: its backlog then slows nothing else down.
            for rate in plan.always:
                if not any(p["system"] == "secpool" and p["rate_per_s"] == rate for p in phases):
                    phases.append(await phase("secpool", stack, secpool, rate, plan, push_http, idle_rates))
            loaded = await asyncio.to_thread(stack.memory_mib)
        return {
            "phases": phases,
            "memory_mib": {"idle": idle, "after_load": loaded},
            "idle_per_s": {
                "cpu_ms": {p: round(v * 1000, 1) for p, v in idle_rates.cpu_s.items()},
                "sql_statements": idle_rates.statements,
                "transactions": idle_rates.transactions,
                "nats_messages": idle_rates.nats_in,
            },
            "push": {"received": secpool.pushes, "undecryptable": secpool.undecryptable},
        }
    finally:
        await secpool.close()
        await floor.close()


def run(
    quick: bool,
    json_path: Path | None,
    plot_path: Path | None,
    seconds: float | None = None,
    rates: list[float] | None = None,
    rest: float | None = None,
) -> int:
    plan = Plan(quick, seconds, rates, rest)
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    stack = Stack()
    try:
        stack.start(say)
        measured = asyncio.run(measure(stack, plan))
    finally:
        say("stopping ...")
        stack.stop()
    measured["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_before_after": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "statements_counted_by": "pg_stat_statements" if stack.statements_counted else None,
        "seconds": round(time.monotonic() - started),
    }
    results = bench_report.summary(measured)
    print(bench_report.table(results))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=2) + "\n")
        say(f"written to {json_path}")
    if plot_path is not None:
        bench_report.plot(results, plot_path)
        say(f"plot written to {plot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(run(quick=True, json_path=None, plot_path=None))
