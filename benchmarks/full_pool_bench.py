"""What one arrival costs routing when the pool is full: every member at capacity, and 10 to
5,000 requests already waiting. The arrival is decided (nobody has room), queued, and given its
expected pick-up, which plays forward every request ahead of it; this is the path each new
request takes while a pool is snowed under, so its cost should grow slowly with the queue.

One whole arrival (`assignment.route` on a fresh waiting request, in a transaction rolled back),
median milliseconds over `--runs` calls per queue length, with the ratio to the shortest queue.
PostgreSQL: DATABASE_URL, else an embedded one (temporary).
Run: python benchmarks/full_pool_bench.py [--queues 10,100,1000,5000] [--runs 50]
     [--out benchmarks/results/full_pool.json]
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from services.cli.embedded import EmbeddedPostgres, ensure_database
from services.platform import db
from services.platform.db import Conn
from services.platform.settings import DEFAULT_TIMEZONE
from services.routing import assignment, records, store, store_members
from services.routing.shifts import ALWAYS

QUEUES = (10, 100, 1_000, 5_000)
POOL = "pool-full"
SKILLS = ("agenda", "travel", "minutes")
MEMBERS = [f"member-{k}" for k in range(8)]


async def fill_pool(conn: Conn, waiting: int) -> None:
    """Eight members, every one at capacity, and `waiting` requests in the queue (of every
    urgency and skill, each with a recent pick-up estimate, so the once-a-minute refresh would
    leave them be)."""
    for k, member_id in enumerate(MEMBERS):
        await store_members.upsert_member(
            conn,
            records.NewMember(
                id=member_id,
                pool_id=POOL,
                name=member_id,
                skills={s: 1 + (k + j) % 5 for j, s in enumerate(SKILLS)},
                languages=["nl", "en"],
                capacity=4,
                hours=ALWAYS,
            ),
        )
    await conn.execute("UPDATE members SET open_count = capacity WHERE pool_id = $1", POOL)
    await conn.execute(
        """INSERT INTO requests (request_id, pool_id, requester_id, skill, min_level, language, urgency,
               work_minutes, submitted_at, pickup_due_at, done_due_at, queued_at, pickup_announced_at)
           SELECT 'waiting-' || k, $1, 'staff-' || (k % 40), ($3::text[])[1 + k % 3], 1, 'nl',
                  (ARRAY['low', 'normal', 'high'])[1 + k % 3], 15 + k % 4 * 15,
                  now() - k * interval '10 seconds', now() + interval '1 hour', now() + interval '1 day',
                  now() - k * interval '10 seconds', now()
           FROM generate_series(1, $2) AS k""",
        POOL,
        waiting,
        list(SKILLS),
    )
    await conn.execute("ANALYZE requests")


async def arrival(conn: Conn) -> None:
    """One new request in the full pool: decided, queued, its pick-up estimated."""
    request_id = f"new-{uuid.uuid4()}"
    now = datetime.now(UTC)
    await store.insert_request(
        conn,
        records.NewRequest(
            request_id=request_id,
            pool_id=POOL,
            requester_id="staff-new",
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
    assert made is not None and made.member_id is None, "the bench pool must be full"


async def measure(base_url: str, waiting: int, runs: int) -> float:
    """Median milliseconds of one arrival (each rolled back) after a few warm-up calls."""
    url = await ensure_database(base_url, f"full_pool_{waiting}_{uuid.uuid4().hex[:6]}")
    pool = await db.connect(url, "routing", min_size=1, max_size=1, decode_json=True)
    try:
        await db.migrate(pool, "routing", ["services.routing"])
        samples = []
        async with pool.acquire() as conn:
            await fill_pool(conn, waiting)
            for k in range(runs + 5):
                tx = conn.transaction()
                await tx.start()
                try:
                    started = time.perf_counter()
                    await arrival(conn)
                    elapsed = (time.perf_counter() - started) * 1000
                finally:
                    await tx.rollback()
                if k >= 5:
                    samples.append(elapsed)
        return statistics.median(samples)
    finally:
        await pool.close()
        admin = await asyncpg.connect(base_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
        finally:
            await admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queues", default=",".join(str(q) for q in QUEUES), help="waiting requests, comma-separated")
    parser.add_argument("--runs", type=int, default=50, help="measured arrivals per queue length")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/full_pool.json"))
    args = parser.parse_args(argv)
    queues = sorted(int(q) for q in args.queues.split(","))
    given = os.environ.get("DATABASE_URL")
    server = None
    if given:
        base = given
    else:
        server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="secpool-full-pool-bench-")), fast_unsafe=True).start()
        base = server.url
    try:
        found: dict[int, float] = {}
        for waiting in queues:
            found[waiting] = asyncio.run(measure(base, waiting, args.runs))
            ratio = found[waiting] / found[queues[0]]
            print(
                f"  {waiting:>6,} waiting: one arrival {found[waiting]:8.2f} ms (median), {ratio:5.1f}× the shortest queue's"
            )
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
        "runs": args.runs,
        "arrival_ms_by_queue": {str(q): round(ms, 3) for q, ms in found.items()},
        "ratio_to_shortest": {str(q): round(ms / found[queues[0]], 2) for q, ms in found.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out} (load average {report['machine']['load_average']:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
