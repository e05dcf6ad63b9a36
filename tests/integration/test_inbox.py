"""Idempotent consumers: effect once per event, bounded retries, dead letters, reconciled config."""

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec
import pytest
from nats.js import JetStreamContext

from services.contracts.recognition import KudosGiven, RecognitionEvent
from services.platform.inbox import Consumer
from tests.support import eventually

SUBJECT = "secpool.recognition.kudos.given"


@pytest.fixture
async def pool(plumbing: asyncpg.Pool) -> asyncpg.Pool:
    await plumbing.execute("CREATE TABLE effects (kudos_id text NOT NULL)")
    return plumbing


def event(kudos_id: str | None = None) -> KudosGiven:
    return KudosGiven(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        kudos_id=kudos_id or str(uuid.uuid4()),
        version=1,
        giver_id="g",
        recipient_ids=["r"],
    )


async def record_effect(conn: Any, e: KudosGiven) -> None:
    if e.kudos_id == "poison":
        raise ValueError("this event always fails")
    await conn.execute("INSERT INTO effects (kudos_id) VALUES ($1)", e.kudos_id)


async def running(consumer: Consumer[Any]) -> asyncio.Task[None]:
    await consumer.declare()
    return asyncio.create_task(consumer.run())


def consumer(pool: asyncpg.Pool, js: JetStreamContext, **kw: Any) -> Consumer[Any]:
    options: dict[str, Any] = {"max_deliver": 3, "ack_wait": 5.0, **kw}
    return Consumer(
        name="test-consumer",
        stream="RECOGNITION",
        subjects=[SUBJECT],
        event_type=RecognitionEvent,
        handler=record_effect,
        pool=pool,
        js=js,
        **options,
    )


async def effects(pool: asyncpg.Pool) -> list[str]:
    return [r["kudos_id"] for r in await pool.fetch("SELECT kudos_id FROM effects ORDER BY kudos_id")]


async def test_a_redelivered_event_has_its_effect_once(pool, js):
    e = event("k1")
    payload = msgspec.json.encode(e)
    # Two copies with different message ids get past JetStream's de-duplication.
    await js.publish(SUBJECT, payload, headers={"Nats-Msg-Id": "a"})
    await js.publish(SUBJECT, payload, headers={"Nats-Msg-Id": "b"})
    task = await running(consumer(pool, js))
    try:
        await eventually(
            lambda: js.consumer_info("RECOGNITION", "test-consumer"),
            lambda info: info.num_ack_pending == 0 and info.num_pending == 0,
        )
        assert await effects(pool) == ["k1"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_an_event_that_keeps_failing_is_dead_lettered_and_the_stream_moves_on(pool, js):
    await js.publish(SUBJECT, msgspec.json.encode(event("poison")))
    await js.publish(SUBJECT, msgspec.json.encode(event("k2")))
    task = await running(consumer(pool, js))
    try:
        await eventually(lambda: pool.fetch("SELECT * FROM dead_letters"), lambda rows: len(rows) == 1, within=15)
        row = (await pool.fetch("SELECT * FROM dead_letters"))[0]
        assert row["deliveries"] == 3 and "always fails" in row["error"]
        assert await effects(pool) == ["k2"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_an_event_that_does_not_decode_is_dead_lettered_at_once(pool, js):
    await js.publish(SUBJECT, b'{"type": "secpool.recognition.kudos.given", "kudos_id": 12}')
    task = await running(consumer(pool, js))
    try:
        rows = await eventually(lambda: pool.fetch("SELECT * FROM dead_letters"), lambda rows: len(rows) == 1)
        assert rows[0]["deliveries"] == 1 and "undecodable" in rows[0]["error"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_changed_consumer_config_is_reconciled_at_start(pool, js):
    await consumer(pool, js, ack_wait=30.0).declare()
    await consumer(pool, js, ack_wait=5.0).declare()
    info = await js.consumer_info("RECOGNITION", "test-consumer")
    assert info.config.ack_wait == 5.0
    # The server never gives up on an event by itself: only the consumer dead-letters.
    assert info.config.max_deliver == -1


async def test_a_lone_event_on_an_idle_stream_is_handled_without_waiting_for_a_batch(pool, js):
    # A long idle pull: were the consumer to wait for its batch to fill, this would take 30 s.
    task = await running(consumer(pool, js, idle_wait=30.0))
    try:
        await eventually(lambda: js.consumer_info("RECOGNITION", "test-consumer"), lambda i: i.num_waiting >= 1)
        started = asyncio.get_running_loop().time()
        await js.publish(SUBJECT, msgspec.json.encode(event("lone")))
        # Well inside the 30 s pull: it did not wait for a batch (how fast is a benchmark's question).
        await eventually(lambda: effects(pool), lambda done: done == ["lone"], within=15)
        assert asyncio.get_running_loop().time() - started < 20
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_an_event_the_handler_would_ignore_is_acked_without_an_inbox_row(pool, js):
    await js.publish(SUBJECT, msgspec.json.encode(event("skipped")))
    await js.publish(SUBJECT, msgspec.json.encode(event("kept")))
    task = await running(consumer(pool, js, wants=lambda e: e.kudos_id != "skipped"))
    try:
        await eventually(
            lambda: js.consumer_info("RECOGNITION", "test-consumer"),
            lambda info: info.num_ack_pending == 0 and info.num_pending == 0,
        )
        assert await effects(pool) == ["kept"]
        assert await pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'test-consumer'") == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_an_event_whose_own_read_finds_nothing_to_do_is_acked_without_a_transaction(pool, js):
    asked: list[str] = []

    async def needs(conn: Any, e: KudosGiven) -> bool:
        asked.append(e.kudos_id)
        return bool(await conn.fetchval("SELECT $1::text <> 'nobody'", e.kudos_id))

    await js.publish(SUBJECT, msgspec.json.encode(event("nobody")))
    await js.publish(SUBJECT, msgspec.json.encode(event("someone")))
    task = await running(consumer(pool, js, needs=needs))
    try:
        await eventually(
            lambda: js.consumer_info("RECOGNITION", "test-consumer"),
            lambda info: info.num_ack_pending == 0 and info.num_pending == 0,
        )
        assert asked == ["nobody", "someone"]
        assert await effects(pool) == ["someone"]
        assert await pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'test-consumer'") == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
