"""Long-lived connections heal by themselves: after PostgreSQL or NATS restarts, the relay is
woken by NOTIFY again (not by its slow poll), consumers take events again, and events that
arrived during the outage are handled, none dead-lettered."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import nats
import pytest
from nats.js import JetStreamContext

from services.cli.embedded import EmbeddedNats, EmbeddedPostgres
from services.contracts.recognition import KudosGiven, RecognitionEvent
from services.platform import bus, db, outbox
from services.platform.inbox import Consumer
from services.platform.outbox import Relay
from tests.support import eventually

SUBJECT = "secpool.recognition.kudos.given"


@pytest.fixture
async def own_pg(tmp_path: Path) -> AsyncIterator[EmbeddedPostgres]:
    """A PostgreSQL of this test's own, to restart (durable commits: a kill -9 must lose nothing)."""
    server = await asyncio.to_thread(EmbeddedPostgres(tmp_path / "pg").start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


@pytest.fixture
async def pool(own_pg: EmbeddedPostgres) -> AsyncIterator[asyncpg.Pool]:
    pool = await db.connect(own_pg.url, "recognition")
    await db.migrate(pool, "recognition", [])
    await pool.execute("CREATE TABLE effects (kudos_id text NOT NULL)")
    try:
        yield pool
    finally:
        await asyncio.wait_for(pool.close(), 10)


async def restart_postgres(server: EmbeddedPostgres, down_for: float = 1.0) -> None:
    """kill -9 of the postmaster, an outage, then the same server again."""
    assert server.child is not None
    server.child.kill()
    await asyncio.sleep(down_for)

    def start_again() -> None:
        for _ in range(20):  # old backends may hold shared memory for a moment
            try:
                server.start()
                return
            except Exception:
                if server.child is not None:
                    server.child.kill()
        raise AssertionError("postgres did not come back")

    await asyncio.to_thread(start_again)


def kudos(kudos_id: str) -> KudosGiven:
    return KudosGiven(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        kudos_id=kudos_id,
        version=1,
        giver_id="g",
        recipient_ids=["r"],
    )


async def queue(pool: asyncpg.Pool, kudos_id: str) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, kudos(kudos_id))


async def pending(pool: asyncpg.Pool) -> int:
    try:
        return int(await pool.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'"))
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return -1


async def test_the_relay_is_woken_by_notify_again_after_postgres_restarts(own_pg, pool, nats_url):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await bus.ensure_streams(js)
    # A poll so slow that only a NOTIFY can explain a quick publish.
    relay = asyncio.create_task(Relay(pool, js, "recognition", idle_poll_seconds=120).run())
    try:
        await queue(pool, "before")
        await eventually(lambda: pending(pool), lambda n: n == 0, within=10)
        await restart_postgres(own_pg)
        await eventually(lambda: pool.fetchval("SELECT 1"), lambda v: v == 1, within=15)
        # The listener reconnects within a few seconds; every later insert is then relayed at once.
        for n in range(3):
            await asyncio.sleep(2)
            await queue(pool, f"after-{n}")
        await eventually(lambda: pending(pool), lambda n: n == 0, within=10)
        info = await js.stream_info("RECOGNITION")
        assert info.state.messages == 4
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await nc.close()


async def record(conn: Any, e: KudosGiven) -> None:
    await conn.execute("INSERT INTO effects (kudos_id) VALUES ($1)", e.kudos_id)


def consumer(pool: asyncpg.Pool, js: JetStreamContext) -> Consumer[Any]:
    return Consumer(
        name="healing",
        stream="RECOGNITION",
        subjects=[SUBJECT],
        event_type=RecognitionEvent,
        handler=record,
        pool=pool,
        js=js,
        max_deliver=2,
        ack_wait=5.0,
    )


async def effects(pool: asyncpg.Pool) -> list[str]:
    try:
        return sorted(r["kudos_id"] for r in await pool.fetch("SELECT kudos_id FROM effects"))
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return []


async def test_events_that_arrive_while_postgres_is_down_wait_for_it_and_none_is_dead_lettered(own_pg, pool, nats_url):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await bus.ensure_streams(js)
    c = consumer(pool, js)
    await c.declare()
    task = asyncio.create_task(c.run())
    try:
        assert own_pg.child is not None
        own_pg.child.kill()
        ids = [f"k{n}" for n in range(20)]
        for kudos_id in ids:
            await js.publish(SUBJECT, msgspec.json.encode(kudos(kudos_id)))
        # Down for longer than max_deliver fast retries would take.
        await asyncio.sleep(3)
        await restart_postgres(own_pg, down_for=0)
        await eventually(lambda: effects(pool), lambda done: done == sorted(ids), within=20)
        assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await nc.close()


async def test_a_consumer_takes_events_again_after_nats_restarts(pool, tmp_path):
    server = await asyncio.to_thread(EmbeddedNats(tmp_path / "nats").start)
    nc = await nats.connect(server.url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    try:
        js = nc.jetstream()
        await bus.ensure_streams(js)
        c = consumer(pool, js)
        await c.declare()
        task = asyncio.create_task(c.run())
        await js.publish(SUBJECT, msgspec.json.encode(kudos("before")))
        await eventually(lambda: effects(pool), lambda done: done == ["before"], within=10)
        assert server.child is not None
        server.child.kill()
        await asyncio.sleep(1)
        await asyncio.to_thread(server.start)
        await eventually(lambda: asyncio.sleep(0, nc.is_connected), lambda up: up, within=15)
        await js.publish(SUBJECT, msgspec.json.encode(kudos("after")))
        await eventually(lambda: effects(pool), lambda done: done == ["after", "before"], within=15)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    finally:
        await nc.close()
        await asyncio.to_thread(server.stop)
