"""A request's queue position and its pool's load read the open requests and the latest done
ones, never the pool's whole history: next to thousands of closed requests, before the planner
has statistics of them, they touch the same few buffers."""

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from services.intake import insights, store, store_insights
from tests.support import new_id

HISTORY = 20_000
MOST_BUFFERS = 40  # a scan of the history above touches hundreds


async def blocks_touched(conn: Any, query: Any) -> int:
    count = (
        "SELECT sum(pg_stat_get_xact_blocks_fetched(c.oid))::bigint FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'intake'"
    )
    async with conn.transaction():
        before = await conn.fetchval(count)
        await query()
        return int(await conn.fetchval(count) - before)


async def test_queue_position_and_pool_load_do_not_read_the_pools_history(intake_db: asyncpg.Pool) -> None:
    pool_id, type_id = new_id("pool-"), new_id("type-")
    async with intake_db.acquire() as conn:
        await conn.execute(
            "INSERT INTO request_types (id, pool_id, name_nl, name_en, skill, min_level, pickup_minutes,"
            " complete_minutes) VALUES ($1, $2, 'brief', 'letter', 'agenda', 1, 60, 480)",
            type_id,
            pool_id,
        )
        # Loaded as a restore would (no search documents): the closed history, then what is open now.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(
            """INSERT INTO requests (id, pool_id, requester_id, type_id, idempotency_key, description, urgency,
                   language, status, submitted_at, pickup_due_at, done_due_at, picked_up_at, done_at)
               SELECT gen_random_uuid(), $1, 'staff', $2, 'closed-' || k, 'old', 'normal', 'nl', 'done', s, s, s,
                      s + interval '5 minutes', s + interval '1 hour'
               FROM generate_series(1, $3) AS k, LATERAL (SELECT now() - k * interval '1 minute' AS s) AS at""",
            pool_id,
            type_id,
            HISTORY,
        )
        await conn.execute(
            """INSERT INTO requests (id, pool_id, requester_id, type_id, idempotency_key, description, urgency,
                   language, status, submitted_at, pickup_due_at, done_due_at)
               SELECT gen_random_uuid(), $1, 'staff', $2, 'open-' || k, 'new', 'normal', 'nl',
                      CASE WHEN k % 2 = 0 THEN 'submitted' ELSE 'in_progress' END, now(), now(), now()
               FROM generate_series(1, 10) AS k""",
            pool_id,
            type_id,
        )
        await conn.execute("SET session_replication_role = DEFAULT")
        waiting = await conn.fetchrow(
            "SELECT id, pool_id, status, urgency, submitted_at, pickup_due_at FROM requests"
            " WHERE pool_id = $1 AND status = 'submitted' LIMIT 1",
            pool_id,
        )
        assert waiting is not None
        now = datetime.now(UTC)
        queries = {
            "queue position": lambda: store_insights.queue_place(
                conn, pool_id, 1, waiting["submitted_at"], waiting["id"]
            ),
            "pool load": lambda: store_insights.pool_load(conn, pool_id, since=now - timedelta(days=30)),
            "waiting in the pool": lambda: store_insights.waiting_in_pools(conn, [pool_id]),
        }
        for _ in range(7):  # past the point where prepared statements switch to a generic plan
            touched = {name: await blocks_touched(conn, query) for name, query in queries.items()}
        assert {name: n for name, n in touched.items() if n > MOST_BUFFERS} == {}
        request = await store.get_request(conn, waiting["id"])
        assert request is not None
        spot = (await insights.spots_of(conn, [request], now))[request.id]
        assert spot.waiting == 5
        load = await store_insights.pool_load(conn, pool_id, since=now - timedelta(days=30))
        assert (load.busy_slots, load.observed_count, round(load.observed_minutes)) == (5, 50, 55)
