"""A routing decision reads what is live, never the pool's history: the queries it runs touch
the same few buffers next to thousands of closed requests, before the planner has statistics
of them; and the minutes each member took on today, kept by a trigger, are what the offers say."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from services.routing import store, store_members, store_rota
from tests.integration.routing.conftest import store_member, stored_request
from tests.support import new_id

HISTORY = 20_000
# A query that used an index on what is live touches a handful of buffers; one that scanned the
# history above touches hundreds (the requests alone fill about 300).
MOST_BUFFERS = 40

# What busy_minutes_today said before the sums were kept: the day's offers joined with their requests.
BUSY_FROM_OFFERS = """SELECT o.member_id, sum(r.work_minutes)::float AS minutes FROM offers o
    JOIN requests r USING (request_id)
    WHERE r.pool_id = $1 AND o.status IN ('accepted', 'done') AND o.created_at >= date_trunc('day', now())
    GROUP BY o.member_id"""


async def request(conn: Any, pool_id: str, work_minutes: int = 30) -> str:
    return (await stored_request(conn, pool_id, work_minutes)).request_id


async def offer(conn: Any, request_id: str, member_id: str, status: str = "open") -> uuid.UUID:
    offer_id = uuid.uuid4()
    await store.insert_offer(
        conn,
        offer_id=offer_id,
        request_id=request_id,
        member_id=member_id,
        status=status,
        development=False,
        buddy_id=None,
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )
    return offer_id


async def test_busy_minutes_follow_the_offers_through_every_change(routing_db: asyncpg.Pool) -> None:
    pool_id, other_pool = new_id("pool-"), new_id("pool-")
    async with routing_db.acquire() as conn:
        anna, bram = await store_member(conn, pool_id), await store_member(conn, pool_id)
        # anna: accepted then done (45), accepted (30), open (20, not taken on), accepted then
        # handed back (15), declined (10); bram: taken on yesterday (60, not today), auto-accepted (25).
        done = await offer(conn, await request(conn, pool_id, 45), anna)
        await store.answer_offer(conn, done, "accepted")
        await store.answer_offer(conn, done, "done")
        await store.answer_offer(conn, await offer(conn, await request(conn, pool_id, 30), anna), "accepted")
        await offer(conn, await request(conn, pool_id, 20), anna)
        async with conn.transaction():  # taken on and handed back within one transaction
            back = await offer(conn, await request(conn, pool_id, 15), anna)
            await store.answer_offer(conn, back, "accepted")
            await store.answer_offer(conn, back, "withdrawn")
        await store.answer_offer(conn, await offer(conn, await request(conn, pool_id, 10), anna), "declined")
        yesterday = await request(conn, pool_id, 60)
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO offers (id, request_id, member_id, status, expires_at, created_at, pool_id, skill,"
                " work_minutes) VALUES ($1, $2, $3, 'accepted', now(), now() - interval '1 day', $4, 'agenda', 60)",
                uuid.uuid4(),
                yesterday,
                bram,
                pool_id,
            )
        await offer(conn, await request(conn, pool_id, 25), bram, status="accepted")
        # Work in another pool counts there, not here; a rolled-back acceptance counts nowhere.
        await offer(conn, await request(conn, other_pool, 40), anna, status="accepted")
        tx = conn.transaction()
        await tx.start()
        await offer(conn, await request(conn, pool_id, 35), bram, status="accepted")
        await tx.rollback()

        busy = {m.id: m.busy_minutes_today for m in await store_members.contenders(conn, pool_id, new_id("staff-"))}
        expected = {r["member_id"]: r["minutes"] for r in await conn.fetch(BUSY_FROM_OFFERS, pool_id)}
        assert expected == {anna: 75.0, bram: 25.0}
        assert busy == expected
        elsewhere = await conn.fetch(
            "SELECT member_id, minutes::float FROM busy_days WHERE pool_id = $1 AND day = date_trunc('day', now())",
            other_pool,
        )
        assert [tuple(row) for row in elsewhere] == [(anna, 40.0)]


async def test_a_decision_reads_who_served_the_requester_with_the_pools_members(routing_db: asyncpg.Pool) -> None:
    pool_id = new_id("pool-")
    requester, someone_else = new_id("staff-"), new_id("staff-")
    async with routing_db.acquire() as conn:
        anna, bram, carla = [await store_member(conn, pool_id) for _ in range(3)]
        await store_members.record_service(conn, anna, requester, "agenda")
        await store_members.record_service(conn, anna, requester, "agenda")
        await store_members.record_service(conn, bram, someone_else, "agenda")
        left = await store_member(conn, pool_id)
        await store_members.record_service(conn, left, requester, "agenda")
        await store_members.set_identity(conn, left, version=2, active=False)

        found = {m.id: m.served_requester for m in await store_members.contenders(conn, pool_id, requester)}
        assert found == {anna: True, bram: False, carla: False}
        assert all(m.busy_minutes_today == 0.0 for m in await store_members.contenders(conn, pool_id, requester))


async def test_the_decision_reads_held_work_summed_per_member_and_skill_with_the_piece_under_way(
    routing_db: asyncpg.Pool,
) -> None:
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn:
        anna, bram = await store_member(conn, pool_id), await store_member(conn, pool_id)
        opened = await offer(conn, await request(conn, pool_id, 20), anna)
        taken = await offer(conn, await request(conn, pool_id, 30), anna, status="accepted")
        await offer(conn, await request(conn, pool_id, 15), anna, status="accepted")
        await offer(conn, await request(conn, pool_id, 10), bram)
        await store.answer_offer(conn, await offer(conn, await request(conn, pool_id, 40), anna), "declined")
        context = await store.decision_context(conn, await request(conn, pool_id), pool_id, datetime.now(UTC))
        held = {(h.member_id, h.skill): (h.minutes, h.accepted_minutes) for h in context.held}
        assert held == {(anna, "agenda"): (65.0, 45.0), (bram, "agenda"): (10.0, 0.0)}
        # The first piece anna accepted (the 30 minutes, accepted before the 15) is under way.
        assert [(s.member_id, s.work_minutes) for s in context.started] == [(anna, 30.0)]
        rows = await conn.fetch(
            "SELECT id, pool_id, skill, work_minutes FROM offers WHERE id = ANY($1)", [opened, taken]
        )
        assert {(r["pool_id"], r["skill"]) for r in rows} == {(pool_id, "agenda")}


async def blocks_touched(conn: Any, query: Any) -> int:
    """Buffers of routing's tables and indexes one call of `query` touched (in its own transaction)."""
    count = (
        "SELECT sum(pg_stat_get_xact_blocks_fetched(c.oid))::bigint FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'routing'"
    )
    async with conn.transaction():
        before = await conn.fetchval(count)
        await query()
        return int(await conn.fetchval(count) - before)


async def test_a_decisions_queries_do_not_read_the_pools_history(routing_db: asyncpg.Pool) -> None:
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn:
        members = [await store_member(conn, pool_id) for _ in range(4)]
        # The closed history loaded as a restore would (triggers off), with the day sums it left.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(
            """INSERT INTO requests (request_id, pool_id, requester_id, skill, min_level, language, urgency,
                   work_minutes, submitted_at, pickup_due_at, done_due_at, state)
               SELECT 'closed-' || k, $1, 'staff', 'agenda', 1, 'nl', 'normal', 30, now() - k * interval '1 minute',
                      now(), now(), 'done' FROM generate_series(1, $2) AS k""",
            pool_id,
            HISTORY,
        )
        await conn.execute(
            """INSERT INTO offers (id, request_id, member_id, status, expires_at, created_at, answered_at, pool_id,
                   skill, work_minutes)
               SELECT gen_random_uuid(), 'closed-' || k, ($3::text[])[1 + k % 4], 'done', now(),
                      now() - k * interval '1 minute', now(), $1, 'agenda', 30 FROM generate_series(1, $2) AS k""",
            pool_id,
            HISTORY,
            members,
        )
        await conn.execute(
            """INSERT INTO decisions (request_id, pool_id, member_id, why)
               SELECT 'closed-' || k, $1, ($3::text[])[1 + k % 4], 'skill' FROM generate_series(1, $2) AS k""",
            pool_id,
            HISTORY,
            members,
        )
        await conn.execute(
            """INSERT INTO busy_days (pool_id, day, member_id, minutes)
               SELECT pool_id, date_trunc('day', created_at), member_id, sum(work_minutes) FROM offers
               GROUP BY 1, 2, 3 ORDER BY 2, 3"""
        )
        await conn.execute("SET session_replication_role = DEFAULT")
        waiting = await request(conn, pool_id)
        await offer(conn, await request(conn, pool_id), members[0], status="accepted")
        await offer(conn, await request(conn, pool_id), members[1])
        now = datetime.now(UTC)
        queries = {
            "members, served the requester, busy today": lambda: store_members.contenders(conn, pool_id, "staff-7"),
            "holidays and absences": lambda: store_rota.pool_rota(conn, pool_id, members, ending_after=now),
            "policy, refusals, development share, held work, rota": lambda: store.decision_context(
                conn, waiting, pool_id, now
            ),
            "pool queue": lambda: store.queue_of(conn, pool_id),
            "waiting requests": lambda: store.waiting_requests(conn, pool_id),
            "stale pick-ups": lambda: store.stale_pickups(conn, now),
            "due for the lead": lambda: store.due_for_lead(conn, now),
            "pools with waiting": lambda: store.pools_with_waiting(conn),
            "expired offers": lambda: store.expired_offers(conn, now),
        }
        for _ in range(7):  # past the point where prepared statements switch to a generic plan
            touched = {name: await blocks_touched(conn, query) for name, query in queries.items()}
        assert {name: n for name, n in touched.items() if n > MOST_BUFFERS} == {}
