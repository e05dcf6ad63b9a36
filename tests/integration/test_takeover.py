"""Fast takeover: a consumer that dies holding fetched events (never acks nor hands them back,
as after kill -9) loses them to another replica within about the 5 s ack wait, not 30 s; a
consumer that stops in an orderly way hands its fetched events back at once."""

import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from services.contracts.recognition import KudosGiven, RecognitionEvent
from services.platform.inbox import Consumer
from tests.support import eventually

SUBJECT = "secpool.recognition.kudos.given"


@pytest.fixture
async def pool(plumbing):
    await plumbing.execute("CREATE TABLE effects (kudos_id text NOT NULL)")
    return plumbing


async def record(conn: Any, e: KudosGiven) -> None:
    await conn.execute("INSERT INTO effects (kudos_id) VALUES ($1)", e.kudos_id)


def replica(pool, js) -> Consumer[Any]:
    return Consumer(
        name="takeover",
        stream="RECOGNITION",
        subjects=[SUBJECT],
        event_type=RecognitionEvent,
        handler=record,
        pool=pool,
        js=js,
    )


async def publish(js, count: int) -> list[str]:
    ids = [f"k{n}" for n in range(count)]
    for kudos_id in ids:
        event = KudosGiven(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            kudos_id=kudos_id,
            version=1,
            giver_id="g",
            recipient_ids=["r"],
        )
        await js.publish(SUBJECT, msgspec.json.encode(event))
    return ids


async def effects(pool) -> list[str]:
    return sorted(r["kudos_id"] for r in await pool.fetch("SELECT kudos_id FROM effects"))


async def test_events_a_dead_consumer_held_reach_another_replica_within_the_ack_wait(pool, js):
    survivor = replica(pool, js)
    await survivor.declare()
    ids = await publish(js, 5)
    # The dying replica: it fetched everything, then nothing more (no ack, no nak, no progress).
    dead = await js.pull_subscribe_bind(durable="takeover", stream="RECOGNITION")
    held = await dead.fetch(5, timeout=5)
    assert len(held) == 5
    started = time.monotonic()
    task = asyncio.create_task(survivor.run())
    try:
        await eventually(lambda: effects(pool), lambda done: done == sorted(ids), within=20)
        # A bound, not a benchmark: far from the 30 s a long ack wait would take.
        assert time.monotonic() - started < 20
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_an_orderly_stop_hands_fetched_events_back_at_once(pool, js):
    blocked = asyncio.Event()

    async def slow(conn: Any, e: KudosGiven) -> None:
        blocked.set()
        await asyncio.Event().wait()  # never finishes: the replica is stopped meanwhile

    stopping = Consumer(
        name="takeover",
        stream="RECOGNITION",
        subjects=[SUBJECT],
        event_type=RecognitionEvent,
        handler=slow,
        pool=pool,
        js=js,
        ack_wait=30.0,
    )
    await stopping.declare()
    ids = await publish(js, 3)
    first = asyncio.create_task(stopping.run())
    await asyncio.wait_for(blocked.wait(), 20)
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    # With a 30 s ack wait, only the hand-back explains a quick takeover.
    second = asyncio.create_task(replica(pool, js).run())
    try:
        await eventually(lambda: effects(pool), lambda done: done == sorted(ids), within=15)
    finally:
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)
