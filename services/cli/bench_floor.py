"""The floor `secpool bench` compares secpool with: the least a submit → offered pipeline
does on the same PostgreSQL and NATS, written plainly and self-contained.

HTTP POST → one commit (the request and its outbox row; NOTIFY) → a relay, woken by the
NOTIFY, publishes the outbox in batches to JetStream (`Nats-Msg-Id`) → a consumer pulls in
batches and, per request, claims a member's capacity and records the assignment with its
inbox row in one commit → publishes `floor.request.offered`. Two processes, as secpool has
separate web and routing processes:

    python -m services.cli.bench_floor web PORT      # HTTP + outbox relay
    python -m services.cli.bench_floor worker        # the assigning consumer

Both read DATABASE_URL and NATS_URL; `prepare` makes the schema, the members and the stream.
It shares nothing with secpool's code on purpose: it is the yardstick, not the product.
"""

import asyncio
import contextlib
import os
import sys
import uuid
from typing import Any

import asyncpg
import msgspec
import nats
import uvicorn
from nats.js.api import ConsumerConfig, StreamConfig

SCHEMA = "bench_floor"
STREAM = "BENCH_FLOOR"
SUBMITTED = "floor.request.submitted"
OFFERED = "floor.request.offered"
MEMBERS = 8

DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.requests (
    id uuid PRIMARY KEY, requester text NOT NULL, description text NOT NULL,
    status text NOT NULL DEFAULT 'submitted', member_id text, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS {SCHEMA}.outbox (
    id bigserial PRIMARY KEY, event_id uuid NOT NULL, subject text NOT NULL, payload bytea NOT NULL,
    published boolean NOT NULL DEFAULT false);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON {SCHEMA}.outbox (id) WHERE NOT published;
CREATE TABLE IF NOT EXISTS {SCHEMA}.members (id text PRIMARY KEY, capacity int NOT NULL, open_count int NOT NULL);
CREATE TABLE IF NOT EXISTS {SCHEMA}.inbox (event_id uuid PRIMARY KEY);
"""


class Submit(msgspec.Struct):
    requester: str
    description: str


class Submitted(msgspec.Struct):
    event_id: str
    request_id: str


async def prepare(database_url: str, nats_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(DDL)
        await conn.executemany(
            f"INSERT INTO {SCHEMA}.members VALUES ($1, 1000000, 0) ON CONFLICT DO NOTHING",
            [(f"member-{k}",) for k in range(MEMBERS)],
        )
    finally:
        await conn.close()
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().add_stream(StreamConfig(name=STREAM, subjects=[SUBMITTED, OFFERED]))
    finally:
        await nc.close()


async def _no_reset(_: asyncpg.Connection) -> None:
    """The floor's connections keep no session state: nothing to reset on release."""


async def pool() -> asyncpg.Pool:
    return await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=8, reset=_no_reset)


class Web:
    """POST /requests: the request and its outbox row in one commit; the relay runs alongside."""

    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None
        self.wake = asyncio.Event()
        self.relay: asyncio.Task[None] | None = None
        self.encode = msgspec.json.Encoder().encode
        self.decode = msgspec.json.Decoder(Submit).decode

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["method"] != "POST":
            await self.answer(send, 200, b"{}")
            return
        submit = self.decode(body)
        request_id, event_id = uuid.uuid4(), uuid.uuid4()
        payload = self.encode(Submitted(event_id=str(event_id), request_id=str(request_id)))
        assert self.pool is not None
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                f"INSERT INTO {SCHEMA}.requests (id, requester, description) VALUES ($1, $2, $3)",
                request_id,
                submit.requester,
                submit.description,
            )
            await conn.execute(
                f"INSERT INTO {SCHEMA}.outbox (event_id, subject, payload) VALUES ($1, $2, $3)",
                event_id,
                SUBMITTED,
                payload,
            )
        self.wake.set()  # same process: no NOTIFY round trip needed to wake the relay
        await self.answer(send, 201, self.encode({"id": str(request_id)}))

    @staticmethod
    async def answer(send: Any, status: int, body: bytes) -> None:
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": body})

    async def lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await pool()
                self.relay = asyncio.create_task(self.relay_outbox())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.relay is not None:
                    self.relay.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self.relay
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def relay_outbox(self) -> None:
        """Publish unpublished rows a batch at a time (one transaction a batch), marking them
        after their PubAcks; woken by each commit, and every second in case a wake was missed."""
        nc = await nats.connect(os.environ["NATS_URL"])
        js = nc.jetstream()
        assert self.pool is not None
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), 1.0)
                self.wake.clear()
                while True:
                    async with self.pool.acquire() as conn, conn.transaction():
                        rows = await conn.fetch(
                            f"SELECT id, event_id, subject, payload FROM {SCHEMA}.outbox WHERE NOT published"
                            " ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED"
                        )
                        if not rows:
                            break
                        await asyncio.gather(
                            *(
                                js.publish(r["subject"], r["payload"], headers={"Nats-Msg-Id": str(r["event_id"])})
                                for r in rows
                            )
                        )
                        await conn.execute(
                            f"UPDATE {SCHEMA}.outbox SET published = true WHERE id = ANY($1::bigint[])",
                            [r["id"] for r in rows],
                        )
        finally:
            await nc.close()


async def work() -> None:
    """Pull in batches; each request handled concurrently, in its own commit, acked after it."""
    connections = await pool()
    nc = await nats.connect(os.environ["NATS_URL"])
    js = nc.jetstream()
    decode = msgspec.json.Decoder(Submitted).decode
    sub = await js.pull_subscribe(
        SUBMITTED, durable="floor-assign", stream=STREAM, config=ConsumerConfig(max_ack_pending=10_000)
    )

    async def handle(msg: Any) -> None:
        event = decode(msg.data)
        async with connections.acquire() as conn, conn.transaction():
            fresh = await conn.fetchval(
                f"INSERT INTO {SCHEMA}.inbox VALUES ($1) ON CONFLICT DO NOTHING RETURNING true",
                uuid.UUID(event.event_id),
            )
            member = None
            if fresh:
                member = await conn.fetchval(
                    f"UPDATE {SCHEMA}.members SET open_count = open_count + 1 WHERE id = (SELECT id FROM {SCHEMA}.members"
                    " WHERE open_count < capacity ORDER BY open_count LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"
                )
                await conn.execute(
                    f"UPDATE {SCHEMA}.requests SET status = 'offered', member_id = $2 WHERE id = $1",
                    uuid.UUID(event.request_id),
                    member,
                )
        if fresh:
            await js.publish(OFFERED, event.request_id.encode(), headers={"Nats-Msg-Id": f"offered-{event.event_id}"})
        await msg.ack()

    try:
        while True:
            try:
                batch = await sub.fetch(200, timeout=1.0)
            except (nats.errors.TimeoutError, TimeoutError):
                continue
            await asyncio.gather(*(handle(m) for m in batch))
    finally:
        await nc.close()
        await connections.close()


if __name__ == "__main__":
    if sys.argv[1] == "web":
        uvicorn.run(Web(), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
    else:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(work())
