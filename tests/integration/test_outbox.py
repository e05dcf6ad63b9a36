"""The transactional outbox and its relay, on real PostgreSQL and NATS JetStream."""

import asyncio
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from nats.js import JetStreamContext

from services.contracts.recognition import KudosGiven
from services.platform import bus, outbox
from services.platform.outbox import Relay
from tests.support import eventually


def kudos_event() -> KudosGiven:
    return KudosGiven(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        kudos_id=str(uuid.uuid4()),
        version=1,
        giver_id="giver",
        recipient_ids=["someone"],
    )


@pytest.fixture
def pool(plumbing: asyncpg.Pool) -> asyncpg.Pool:
    return plumbing


async def stream_messages(js: JetStreamContext) -> int:
    info = await js.stream_info("RECOGNITION")
    return int(info.state.messages)


async def test_an_event_is_published_with_its_event_id_as_message_id_and_marked(pool, js):
    event = kudos_event()
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, event)
    relay = Relay(pool, js, "recognition")
    assert await relay.publish_pending() == 1
    msg = await js.get_last_msg("RECOGNITION", "secpool.recognition.kudos.given")
    assert msg.headers is not None and msg.headers["Nats-Msg-Id"] == str(event.event_id)
    assert await pool.fetchval("SELECT status FROM outbox WHERE event_id = $1", event.event_id) == "pending"
    await relay.mark_published()  # with its next claim, or by itself within half a second
    assert await pool.fetchval("SELECT status FROM outbox WHERE event_id = $1", event.event_id) == "published"


async def test_the_next_claim_marks_what_the_last_round_published(pool, js):
    first, second = kudos_event(), kudos_event()
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, first)
    relay = Relay(pool, js, "recognition")
    assert await relay.publish_pending() == 1
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, second)
    assert await relay.publish_pending() == 1
    statuses = dict(await pool.fetch("SELECT event_id, status FROM outbox"))
    assert statuses == {first.event_id: "published", second.event_id: "pending"}


async def test_a_running_relay_marks_what_it_published_within_a_second_when_nothing_else_comes(pool, js):
    relay = asyncio.create_task(Relay(pool, js, "recognition", idle_poll_seconds=30).run())
    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, kudos_event())
        await eventually(
            lambda: pool.fetchval("SELECT count(*) FROM outbox WHERE status = 'published'"), lambda n: n == 1, within=10
        )
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)


async def test_a_rolled_back_transaction_publishes_nothing(pool, js):
    with pytest.raises(RuntimeError):
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, kudos_event())
            raise RuntimeError("the state change failed")
    assert await Relay(pool, js, "recognition").publish_pending() == 0
    assert await stream_messages(js) == 0


async def test_republishing_after_a_crash_before_marking_is_dropped_by_jetstream(pool, js):
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, kudos_event(), kudos_event())
    relay = Relay(pool, js, "recognition")
    await relay.publish_pending()
    await relay.mark_published()
    # As if the relay died after the PubAck but before its mark: rows still pending.
    await pool.execute("UPDATE outbox SET status = 'pending'")
    assert await relay.publish_pending() == 2
    assert await stream_messages(js) == 2


async def test_rows_a_relay_leased_and_never_marked_are_published_by_another_once_the_lease_runs_out(pool, js):
    events = [kudos_event() for _ in range(2)]
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, *events)
    # As a relay that died after its PubAcks and before its mark leaves them: leased, pending.
    leased = await pool.fetch(
        "UPDATE outbox SET leased_until = now() + interval '1 second' WHERE status = 'pending' RETURNING id"
    )
    assert len(leased) == 2
    other = Relay(pool, js, "recognition")
    assert await other.publish_pending() == 0, "a live lease keeps other relays off the rows"
    started = time.monotonic()
    while (published := await other.publish_pending()) == 0:
        assert time.monotonic() - started < 15, "the lease never ran out"
        await asyncio.sleep(0.05)
    assert published == 2
    await other.mark_published()
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE leased_until IS NOT NULL") == 0


async def test_the_relay_is_woken_by_notify_not_by_its_slow_poll(pool, js):
    relay = Relay(pool, js, "recognition", idle_poll_seconds=30)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.2)  # let it reach its idle wait
        started = time.monotonic()
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, kudos_event())
        # Well inside the 30 s poll: only the NOTIFY can explain it (how fast is a benchmark's question).
        while await stream_messages(js) == 0:
            assert time.monotonic() - started < 15, "relay did not wake up"
            await asyncio.sleep(0.005)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_two_relays_share_the_outbox_and_publish_every_event(pool, js):
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, *[kudos_event() for _ in range(300)])
    relays = [Relay(pool, js, "recognition", batch=20) for _ in range(2)]

    async def drain(relay: Relay) -> int:
        total = 0
        while moved := await relay.publish_pending():
            total += moved
        return total

    counts = await asyncio.gather(*(drain(r) for r in relays))
    assert sum(counts) == 300
    assert all(c > 0 for c in counts), f"one relay did all the work: {counts}"
    assert await stream_messages(js) == 300
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0


async def test_a_publish_that_fails_leaves_the_claimed_rows_pending_and_later_publishes_them_in_order(pool, js):
    events = [kudos_event() for _ in range(3)]
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, *events)
    await js.delete_stream("RECOGNITION")  # nothing takes the subject now: the publish fails
    with pytest.raises(Exception):  # noqa: B017 - whichever error nats-py raises for no stream
        await Relay(pool, js, "recognition").publish_pending()
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'") == 3
    await bus.ensure_streams(js)
    assert await Relay(pool, js, "recognition").publish_pending() == 3
    published = [await js.get_msg("RECOGNITION", seq) for seq in (1, 2, 3)]
    assert [m.headers["Nats-Msg-Id"] for m in published if m.headers] == [str(e.event_id) for e in events]
