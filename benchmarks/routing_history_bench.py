"""Whether a routing decision costs the same with a long history: one pool's history filled with
1,000, 100,000 and 1,000,000 closed requests (done or cancelled over the last year, today
included, each with its offer and decision, in routing's and intake's tables), then the cost of
one whole routing decision (`assignment.route` on a fresh waiting request, rolled back) and of
every query a decision, routing's once-a-second loop or a request's queue position runs, side
by side with the ratios to the smallest history.

Two measures: buffers touched a call (8 kB pages of routing's and intake's tables and indexes;
deterministic, and what grows when a query scans history) and milliseconds (median; noisy on a
shared machine). Each in two phases: right after loading, before the planner has statistics of
the history (autovacuum off for the loaded tables), and after ANALYZE. The live part of the pool
is the same at every size: 8 members, 12 held offers, 20 waiting requests. Each size gets a
fresh database, loaded with one INSERT ... SELECT generate_series a table. Exits 1 unless the
whole decision touches at most FLAT times the smallest history's buffers in both phases.
PostgreSQL: DATABASE_URL, else an embedded one (temporary).
Run: python benchmarks/routing_history_bench.py [--sizes 1000,100000,1000000] [--runs 100]
     [--out benchmarks/results/routing_history.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from services.cli.embedded import EmbeddedPostgres, ensure_database
from services.intake import insights, store_insights
from services.intake import records as intake_records
from services.intake import store as intake_store
from services.platform import db
from services.platform.db import Conn
from services.platform.settings import DEFAULT_TIMEZONE
from services.routing import assignment, records, store, store_members, store_policy, store_rota
from services.routing.shifts import ALWAYS

SIZES = (1_000, 100_000, 1_000_000)
POOL = "pool-bench"
SKILLS = ("agenda", "travel", "minutes")
MEMBERS = [f"member-{k}" for k in range(8)]
# A decision touching at most this factor of the smallest history's buffers counts as flat.
FLAT = 1.5
WHOLE = "routing decision (whole, rolled back)"

Timed = Callable[[Conn], Awaitable[Any]]


async def load_history(routing: Conn, intake: Conn, size: int) -> None:
    """`size` closed requests of the pool over the last year, in routing's and intake's tables.
    Triggers and foreign keys are off while loading (session_replication_role), as for a restore."""
    for conn in (routing, intake):
        await conn.execute("SET session_replication_role = replica")
    await routing.execute(
        """INSERT INTO requests (request_id, pool_id, requester_id, skill, min_level, language, urgency, work_minutes,
               submitted_at, pickup_due_at, done_due_at, state, version)
           SELECT 'h-' || k, $1, 'staff-' || (k % 200), ($2::text[])[1 + k % 3], 1 + k % 3, 'nl', 'normal', 30,
                  now() - (k * interval '365 days') / $3, now(), now(), CASE WHEN k % 10 = 0 THEN 'cancelled' ELSE 'done' END, 4
           FROM generate_series(1, $3) AS k""",
        POOL,
        list(SKILLS),
        size,
    )
    await routing.execute(
        """INSERT INTO offers (id, request_id, member_id, status, created_at, expires_at, answered_at,
               pool_id, skill, work_minutes)
           SELECT gen_random_uuid(), 'h-' || k, ($1::text[])[1 + k % 8], CASE WHEN k % 10 = 0 THEN 'withdrawn' ELSE 'done' END,
                  now() - (k * interval '365 days') / $2, now(), now() - (k * interval '365 days') / $2,
                  $3, ($4::text[])[1 + k % 3], 30
           FROM generate_series(1, $2) AS k""",
        MEMBERS,
        size,
        POOL,
        list(SKILLS),
    )
    # What the offers' trigger keeps (it is off while loading): minutes taken on per member and day.
    await routing.execute(
        """INSERT INTO busy_days (pool_id, day, member_id, minutes)
           SELECT pool_id, date_trunc('day', created_at), member_id, sum(work_minutes) FROM offers
           WHERE status IN ('accepted', 'done') GROUP BY 1, 2, 3 ORDER BY 2, 3"""
    )
    await routing.execute(
        """INSERT INTO decisions (request_id, pool_id, member_id, development, why, at)
           SELECT 'h-' || k, $1, ($2::text[])[1 + k % 8], k % 7 = 0, 'skill', now() - (k * interval '365 days') / $3
           FROM generate_series(1, $3) AS k""",
        POOL,
        MEMBERS,
        size,
    )
    await intake.execute(
        """INSERT INTO requests (id, pool_id, requester_id, type_id, idempotency_key, description, urgency, language,
               status, member_id, submitted_at, pickup_due_at, done_due_at, picked_up_at, done_at, cancelled_at)
           SELECT gen_random_uuid(), $1, 'staff-' || (k % 200), 'type-' || (k % 3), 'h-' || k, 'history', 'normal', 'nl',
                  CASE WHEN k % 10 = 0 THEN 'cancelled' ELSE 'done' END, ($2::text[])[1 + k % 8], s, s, s,
                  CASE WHEN k % 10 = 0 THEN NULL ELSE s + interval '5 minutes' END,
                  CASE WHEN k % 10 = 0 THEN NULL ELSE s + interval '40 minutes' END,
                  CASE WHEN k % 10 = 0 THEN s + interval '5 minutes' END
           FROM generate_series(1, $3) AS k, LATERAL (SELECT now() - (k * interval '365 days') / $3 AS s) AS at""",
        POOL,
        MEMBERS,
        size,
    )
    for conn in (routing, intake):
        await conn.execute("SET session_replication_role = DEFAULT")


async def load_live(routing: Conn, intake: Conn) -> None:
    """The pool as it is now (the same at every size): members, held offers, a queue."""
    for k, member_id in enumerate(MEMBERS):
        skills = {s: 1 + (k + j) % 5 for j, s in enumerate(SKILLS)}
        await store_members.upsert_member(
            routing,
            records.NewMember(
                id=member_id,
                pool_id=POOL,
                name=member_id,
                skills=skills,
                languages=["nl", "en"],
                capacity=4,
                hours=ALWAYS,
            ),
        )
    await store_policy.put_policy(routing, POOL, {}, "bench", "bench")
    now = datetime.now(UTC)
    for k in range(32):
        state = "waiting" if k >= 12 else "offered"
        await store.insert_request(
            routing,
            records.NewRequest(
                request_id=f"live-{k}",
                pool_id=POOL,
                requester_id=f"staff-{k}",
                skill=SKILLS[k % 3],
                min_level=5,
                language="nl",
                urgency=("low", "normal", "high")[k % 3],
                work_minutes=30,
                submitted_at=now - timedelta(minutes=k),
                pickup_due_at=now + timedelta(hours=1),
                done_due_at=now + timedelta(days=1),
            ),
        )
        await store.set_request_state(routing, f"live-{k}", state)
        if state == "offered":
            member_id = MEMBERS[k % len(MEMBERS)]
            await store.insert_offer(
                routing,
                offer_id=uuid.uuid4(),
                request_id=f"live-{k}",
                member_id=member_id,
                status="accepted" if k % 2 else "open",
                development=False,
                buddy_id=None,
                expires_at=now + timedelta(minutes=5),
            )
            await routing.execute("UPDATE members SET open_count = open_count + 1 WHERE id = $1", member_id)
        await intake.execute(
            """INSERT INTO requests (id, pool_id, requester_id, type_id, idempotency_key, description, urgency,
                   language, status, submitted_at, pickup_due_at, done_due_at)
               VALUES (gen_random_uuid(), $1, $2, 'type-0', $2, 'live', $3, 'nl', $4, $5, $6, $6)""",
            POOL,
            f"staff-{k}",
            ("low", "normal", "high")[k % 3],
            "submitted" if k >= 12 else "in_progress",
            now - timedelta(minutes=k),
            now + timedelta(hours=1),
        )


async def decision(conn: Conn) -> None:
    """One whole routing decision on a fresh waiting request (the caller rolls it back)."""
    request_id = f"new-{uuid.uuid4()}"
    now = datetime.now(UTC)
    await store.insert_request(
        conn,
        records.NewRequest(
            request_id=request_id,
            pool_id=POOL,
            requester_id="staff-7",
            skill="agenda",
            min_level=1,
            language="nl",
            urgency="normal",
            work_minutes=30,
            submitted_at=now,
            pickup_due_at=now + timedelta(hours=1),
            done_due_at=now + timedelta(days=1),
        ),
    )
    made = await assignment.route(conn, request_id, zone=ZoneInfo(DEFAULT_TIMEZONE))
    assert made is not None and made.member_id is not None, "the bench pool must have room"


def routing_queries() -> dict[str, Timed]:
    """Every query one decision runs (its reads), and the whole decision."""
    now = datetime.now(UTC)
    return {
        WHOLE: decision,
        "members, served the requester, busy today": lambda c: store_members.contenders(c, POOL, "staff-7"),
        "policy, refusals, development share, held work, rota": lambda c: store.decision_context(
            c, "live-20", POOL, now
        ),
        "pool queue (expected pick-up)": lambda c: store.queue_of(c, POOL),
        "waiting requests (drain)": lambda c: store.waiting_requests(c, POOL),
        "holidays and absences": lambda c: store_rota.pool_rota(c, POOL, MEMBERS, ending_after=now),
        "room in the pool": lambda c: store_members.has_room(c, POOL),
        "every second: expired offers": lambda c: store.expired_offers(c, now),
        "every second: due for the lead": lambda c: store.due_for_lead(c, now - timedelta(minutes=30)),
        "every second: pools with waiting": store.pools_with_waiting,
        "every second: stale pick-ups": lambda c: store.stale_pickups(c, now - timedelta(minutes=1)),
    }


def intake_queries(live: intake_records.Request) -> dict[str, Timed]:
    now = datetime.now(UTC)
    return {
        "intake: queue position": lambda c: store_insights.queue_place(c, POOL, 1, live.submitted_at, live.id),
        "intake: pool load": lambda c: store_insights.pool_load(c, POOL, since=now - insights.OBSERVED_SINCE),
        "intake: a request's queue spot (both)": lambda c: insights.spots_of(c, [live], now),
    }


# Buffers (8 kB pages) of routing's and intake's tables and indexes this transaction touched so
# far: deterministic, unlike a timing on a busy machine, and what grows when a query scans history.
BLOCKS = """SELECT coalesce(sum(pg_stat_get_xact_blocks_fetched(c.oid)), 0)::bigint FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('routing', 'intake')"""


async def cost(conn: Conn, run: Timed, runs: int) -> dict[str, float]:
    """Median milliseconds and buffers touched a call of `run`, each call in a transaction that
    is rolled back, after a few warm-up calls (as a running service would be)."""
    samples, blocks = [], []
    for k in range(runs + 5):
        tx = conn.transaction()
        await tx.start()
        try:
            before = await conn.fetchval(BLOCKS)
            started = time.perf_counter()
            await run(conn)
            elapsed = (time.perf_counter() - started) * 1000
            touched = await conn.fetchval(BLOCKS) - before
        finally:
            await tx.rollback()
        if k >= 5:
            samples.append(elapsed)
            blocks.append(touched)
    return {"ms": statistics.median(samples), "blocks": statistics.median(blocks)}


LOADED = ("routing.requests", "routing.offers", "routing.decisions", "intake.requests")
PHASES = ("no statistics", "analyzed")
Costs = dict[str, dict[str, float]]  # query → {"ms": …, "blocks": …}


async def measure_size(base_url: str, size: int, runs: int) -> dict[str, Costs]:
    """Costs right after loading, before the planner has statistics of the history (autovacuum
    kept off), and again after ANALYZE: a decision must not depend on either."""
    url = await ensure_database(base_url, f"routing_history_{size}_{uuid.uuid4().hex[:6]}")
    routing = await db.connect(url, "routing", min_size=1, max_size=2, decode_json=True)
    intake = await db.connect(url, "intake", min_size=1, max_size=2, decode_json=True)
    try:
        await db.migrate(routing, "routing", ["services.routing"])
        await db.migrate(intake, "intake", ["services.intake"])
        started = time.perf_counter()
        async with routing.acquire() as r, intake.acquire() as i:
            for table in LOADED:
                await r.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
            for k in range(3):
                await i.execute(
                    "INSERT INTO request_types (id, pool_id, name_nl, name_en, skill, min_level, pickup_minutes,"
                    " complete_minutes) VALUES ($1, $2, $1, $1, $3, 1, 60, 480)",
                    f"type-{k}",
                    POOL,
                    SKILLS[k],
                )
            await load_history(r, i, size)
            await load_live(r, i)
            print(f"  {size:>9,} closed requests loaded in {time.perf_counter() - started:.1f} s", flush=True)
            live_id = await i.fetchval(
                "SELECT id FROM requests WHERE pool_id = $1 AND status = 'submitted' ORDER BY submitted_at LIMIT 1",
                POOL,
            )
            live = await intake_store.get_request(i, live_id)
            assert live is not None
            found = {}
            for phase in PHASES:
                if phase == "analyzed":
                    for table in LOADED:
                        await r.execute(f"ANALYZE {table}")
                costs = {name: await cost(r, run, runs) for name, run in routing_queries().items()}
                costs |= {name: await cost(i, run, runs) for name, run in intake_queries(live).items()}
                found[phase] = costs
        return found
    finally:
        await routing.close()
        await intake.close()
        admin = await asyncpg.connect(base_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
        finally:
            await admin.close()


def side_by_side(sizes: list[int], by_size: dict[int, Costs], measure: str) -> tuple[str, dict[str, dict[str, float]]]:
    """A table of one measure ("ms" or "blocks") per query and size, with the ratios to the smallest."""
    first = sizes[0]
    unit = "ms a call (median)" if measure == "ms" else "buffers a call (median)"
    header = f"{unit:<40}" + "".join(f"{s:>11,}" for s in sizes)
    header += "".join(f"{'×' + format(s // first, ','):>10}" for s in sizes[1:])
    lines = [header]
    ratios: dict[str, dict[str, float]] = {}
    for name in by_size[first]:
        base = max(by_size[first][name][measure], 1e-9)
        ratios[name] = {str(s): round(by_size[s][name][measure] / base, 2) for s in sizes[1:]}
        digits = 3 if measure == "ms" else 0
        line = f"{name:<40}" + "".join(f"{by_size[s][name][measure]:>11.{digits}f}" for s in sizes)
        line += "".join(f"{ratios[name][str(s)]:>10.2f}" for s in sizes[1:])
        lines.append(line)
    return "\n".join(lines), ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="closed requests, comma-separated")
    parser.add_argument("--runs", type=int, default=100, help="measured calls per query, size and phase")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/routing_history.json"))
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    given = os.environ.get("DATABASE_URL")
    server = None
    if given:
        base = given
    else:
        server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="secpool-history-bench-")), fast_unsafe=True).start()
        base = server.url
    try:
        by_size = {size: asyncio.run(measure_size(base, size, args.runs)) for size in sizes}
    finally:
        if server is not None:
            server.stop()
    report: dict[str, Any] = {
        "machine": {
            "python": sys.version.split()[0],
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
        },
        "sizes": sizes,
        "runs": args.runs,
        "flat_within": FLAT,
    }
    flat = True
    for phase in PHASES:
        report[phase] = {}
        for measure in ("blocks", "ms"):
            text, ratios = side_by_side(sizes, {size: by_size[size][phase] for size in sizes}, measure)
            print(f"\n{phase}\n{text}")
            report[phase][measure] = {
                name: {
                    "by_size": {str(s): round(by_size[s][phase][name][measure], 4) for s in sizes},
                    "ratio_to_smallest": ratios[name],
                }
                for name in ratios
            }
        # Flat: the decision touches no more buffers with the longest history (the timing is shown, not judged).
        decision_blocks = report[phase]["blocks"][WHOLE]["ratio_to_smallest"]
        flat = flat and all(r <= FLAT for r in decision_blocks.values())
    last = str(sizes[-1])
    print(
        f"\na whole decision at {sizes[-1]:,} closed requests touches "
        + " / ".join(f"{report[p]['blocks'][WHOLE]['ratio_to_smallest'][last]:.2f}×" for p in PHASES)
        + " the buffers and takes "
        + " / ".join(f"{report[p]['ms'][WHOLE]['ratio_to_smallest'][last]:.2f}×" for p in PHASES)
        + f" the time it does at {sizes[0]:,} ({' / '.join(PHASES)}): {'flat' if flat else 'NOT flat'}"
        + f" (load average {report['machine']['load_average']:.1f} on {os.cpu_count()} cores)"
    )
    report["decision_flat"] = flat
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
