"""Idempotent JetStream consumers: the effect and an inbox row commit together, then ack.

A redelivered event finds its inbox row and is acked without effect. A failing handler is
nak'ed with a growing delay until `max_deliver`; then, like an event that does not
decode, it goes to `dead_letters` and is terminated, so one bad event never blocks a stream.
"""

import asyncio
import contextlib
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import asyncpg
import msgspec
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from services.platform import bus
from services.platform.db import Conn

log = structlog.get_logger(__name__)

E = TypeVar("E")
Handler = Callable[[Conn, E], Awaitable[None]]


class Consumer(Generic[E]):
    """One durable pull consumer: `name` is both the durable and the inbox's consumer key."""

    def __init__(
        self,
        *,
        name: str,
        stream: str,
        subjects: list[str],
        event_type: Any,
        handler: Handler[E],
        pool: asyncpg.Pool,
        js: JetStreamContext,
        max_deliver: int = 5,
        ack_wait: float = 30.0,
        batch: int = 64,
        idle_wait: float = 1.0,
    ) -> None:
        self.name = name
        self._stream = stream
        self._subjects = subjects
        self._decoder: msgspec.json.Decoder[E] = msgspec.json.Decoder(event_type)
        self._handler = handler
        self._pool = pool
        self._js = js
        self._max_deliver = max_deliver
        self._ack_wait = ack_wait
        self._batch = batch
        self._idle_wait = idle_wait  # how long one pull waits on an idle stream

    async def declare(self) -> None:
        config = bus.consumer_config(self.name, self._subjects, max_deliver=self._max_deliver, ack_wait=self._ack_wait)
        await bus.ensure_consumer(self._js, self._stream, config)

    async def run(self) -> None:
        sub = await self._js.pull_subscribe_bind(durable=self.name, stream=self._stream)
        try:
            while True:
                try:
                    msgs = await self._next_batch(sub)
                except TimeoutError:  # nats' own TimeoutError, and the plain one fetch() also raises
                    continue
                except Exception as exc:  # e.g. NATS reconnecting: a consumer must outlive it
                    log.warning("fetching events failed; retrying", consumer=self.name, error=repr(exc))
                    await asyncio.sleep(0.5)
                    continue
                for msg in msgs:
                    try:
                        await self.process(msg)
                    except Exception as exc:  # not acked: JetStream redelivers it after ack_wait
                        log.warning("event left for redelivery", consumer=self.name, error=repr(exc))
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _next_batch(self, sub: Any) -> list[Msg]:
        """Wait for one event, then take what else is already waiting.

        nats-py's `fetch(n)` on an idle stream holds its pull open until n messages came or
        the timeout passed, so a lone event would wait up to the whole timeout. Waiting for one
        returns the moment it arrives; its `num_pending` says whether a batch is worth asking
        for (a no-wait pull that answers at once).
        """
        msgs: list[Msg] = await sub.fetch(1, timeout=self._idle_wait)
        pending = msgs[-1].metadata.num_pending or 0
        if pending:
            with contextlib.suppress(TimeoutError):
                msgs += await sub.fetch(min(self._batch, pending), timeout=0.05)
        return msgs

    async def process(self, msg: Msg) -> None:
        deliveries = msg.metadata.num_delivered or 1
        try:
            event = self._decoder.decode(msg.data)
        except msgspec.DecodeError as exc:  # ValidationError is a DecodeError too
            await self._dead_letter(msg, None, f"undecodable event: {exc}", deliveries)
            await msg.term()
            return
        event_id = getattr(event, "event_id", None)
        try:
            await self._apply(event_id, event)
        except Exception as exc:
            if deliveries >= self._max_deliver:
                log.error("event dead-lettered", consumer=self.name, subject=msg.subject, error=str(exc))
                await self._dead_letter(msg, event_id, traceback.format_exc(limit=5), deliveries)
                await msg.term()
            else:
                log.warning("event failed; will retry", consumer=self.name, error=str(exc))
                await msg.nak(delay=min(0.2 * 2**deliveries, 10.0))
            return
        await msg.ack()

    async def _apply(self, event_id: object, event: E) -> None:
        """The effect and the inbox row in one transaction. A deadlock between replicas is
        retried here at once rather than spending one of the event's few deliveries."""
        for attempt in range(3):
            try:
                async with self._pool.acquire() as conn, conn.transaction():
                    fresh = await conn.fetchval(
                        "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
                        self.name,
                        event_id,
                    )
                    if fresh:
                        await self._handler(conn, event)
                return
            except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError):
                if attempt == 2:
                    raise
                await asyncio.sleep(0.01 * (attempt + 1))

    async def _dead_letter(self, msg: Msg, event_id: object, error: str, deliveries: int) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO dead_letters (consumer, subject, event_id, payload, error, deliveries)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                self.name,
                msg.subject,
                None if event_id is None else str(event_id),
                msg.data,
                error,
                deliveries,
            )
