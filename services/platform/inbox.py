"""Idempotent JetStream consumers: the effect and an inbox row commit together, then ack.

A redelivered event finds its inbox row and is acked without effect. Failures are split
(services.platform.failures): a dependency being down (database restarting, NATS
reconnecting, a timeout) is retried with growing delays for as long as it takes and never
counts towards a dead letter; only a failure of the event itself (it does not decode, its
handler breaks a rule) counts, and after `max_deliver` of those the event goes to
`dead_letters` and is terminated. An event is terminated only once its dead letter is written.

Fetched events are kept alive with in-progress acks while they wait or run, so `ack_wait`
can be short: a consumer that dies hands its events to another within seconds.
"""

import asyncio
import contextlib
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import asyncpg
import msgspec
import structlog
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from services.platform import bus
from services.platform.db import Conn
from services.platform.failures import is_transient, retry_delay

log = structlog.get_logger(__name__)

E = TypeVar("E")
# What a handler may give back: something to do once its transaction committed (hand the
# work it stored to a worker in this process), never before: a rollback would undo the work.
AfterCommit = Callable[[], None]
Handler = Callable[[Conn, E], Awaitable[AfterCommit | None]]
Wants = Callable[[E], bool]
Needs = Callable[[Conn, E], Awaitable[bool]]

_REMEMBERED_FAILURES = 10_000  # events whose poison failures are being counted, at most


class Consumer(Generic[E]):
    """One durable pull consumer: `name` is both the durable and the inbox's consumer key.
    `max_deliver` is how many failures of the event itself lead to its dead letter."""

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
        ack_wait: float = 5.0,
        batch: int = 64,
        idle_wait: float = 1.0,
        wants: Wants[E] | None = None,
        needs: Needs[E] | None = None,
    ) -> None:
        self.name = name
        self._stream = stream
        self._subjects = subjects
        self._decoder: msgspec.json.Decoder[E] = msgspec.json.Decoder(event_type)
        self._handler = handler
        # Decides from the event alone whether the handler would do anything: an event it
        # would ignore is acked without a transaction or an inbox row (nothing to repeat).
        self._wants = wants
        # Decides with a read of its own, outside any transaction (who wants this by e-mail?),
        # for a handler that mostly finds nothing to do: that costs one statement, not four.
        self._needs = needs
        self._pool = pool
        self._js = js
        self._max_deliver = max_deliver
        self._ack_wait = ack_wait
        self._batch = batch
        self._idle_wait = idle_wait  # how long one pull waits on an idle stream
        self._failures: OrderedDict[int, int] = OrderedDict()  # stream sequence → poison failures
        self._outage = 0  # consecutive transient failures, for the growing delay

    async def declare(self) -> None:
        config = bus.consumer_config(self.name, self._subjects, ack_wait=self._ack_wait)
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
                    await self._wait_out(exc, "fetching events")
                    continue
                await self._process_batch(msgs)
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

    async def _process_batch(self, msgs: list[Msg]) -> None:
        """Handle events in order while telling JetStream the waiting ones are in progress.
        When a dependency is down, the rest of the batch goes back with a delay at once."""
        waiting = list(msgs)
        heartbeat = asyncio.create_task(self._keep_alive(waiting))
        try:
            while waiting:
                msg = waiting[0]
                try:
                    handled = await self.process(msg)
                except Exception as exc:  # an ack or nak that could not be sent: JetStream redelivers
                    log.warning("event left for redelivery", consumer=self.name, error=repr(exc))
                    handled = True
                waiting.pop(0)
                if not handled:
                    await self._hand_back(waiting)
                    waiting.clear()
                    await asyncio.sleep(retry_delay(self._outage))
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
            await self._hand_back(waiting)  # cancelled mid-batch: let another replica have them now

    async def _keep_alive(self, waiting: list[Msg]) -> None:
        while True:
            await asyncio.sleep(self._ack_wait / 3)
            for msg in list(waiting):
                with contextlib.suppress(Exception):
                    await msg.in_progress()

    async def _hand_back(self, msgs: list[Msg]) -> None:
        delay = retry_delay(self._outage) if self._outage else None
        for msg in msgs:
            with contextlib.suppress(Exception):
                await msg.nak(delay=delay)

    async def _wait_out(self, exc: BaseException, doing: str) -> None:
        """A dependency is down: log the first failure of an outage, then wait a growing delay."""
        self._outage += 1
        if self._outage == 1:
            log.warning(f"{doing} failed; retrying until it works", consumer=self.name, error=repr(exc))
        await asyncio.sleep(retry_delay(self._outage))

    async def process(self, msg: Msg) -> bool:
        """Handle one event: True when it is done with (acked, or dead-lettered and terminated),
        False when a dependency is down and it was handed back for a later try."""
        sequence = msg.metadata.sequence.stream
        try:
            event = self._decoder.decode(msg.data)
        except msgspec.DecodeError as exc:  # ValidationError is a DecodeError too
            return await self._give_up(msg, None, f"undecodable event: {exc}")
        event_id = getattr(event, "event_id", None)
        if self._wants is not None and not self._wants(event):
            await msg.ack()
            return True
        try:
            if await self._has_work(event):
                await self._apply(event_id, event)
        except Exception as exc:
            if is_transient(exc):
                self._outage += 1
                if self._outage == 1:
                    log.warning("event waits for a dependency", consumer=self.name, error=repr(exc))
                await msg.nak(delay=retry_delay(self._outage))
                return False
            failures = self._count_failure(sequence)
            if failures >= self._max_deliver:
                log.error("event dead-lettered", consumer=self.name, subject=msg.subject, error=str(exc))
                return await self._give_up(msg, event_id, traceback.format_exc(limit=5))
            log.warning("event failed; will retry", consumer=self.name, failures=failures, error=str(exc))
            await msg.nak(delay=retry_delay(failures))
            return True
        if self._outage:
            log.info("dependency back; handling events again", consumer=self.name)
        self._outage = 0
        self._failures.pop(sequence, None)
        await msg.ack()
        return True

    def _count_failure(self, sequence: int) -> int:
        failures = self._failures.pop(sequence, 0) + 1
        self._failures[sequence] = failures
        while len(self._failures) > _REMEMBERED_FAILURES:
            self._failures.popitem(last=False)
        return failures

    async def _give_up(self, msg: Msg, event_id: object, error: str) -> bool:
        """Dead letter, then terminate; if the dead letter cannot be written, the event stays."""
        try:
            await self._dead_letter(msg, event_id, error, msg.metadata.num_delivered or 1)
        except Exception as exc:
            log.warning("dead letter not written; event kept", consumer=self.name, error=repr(exc))
            await msg.nak(delay=retry_delay(self._outage + 1))
            return not is_transient(exc)
        self._failures.pop(msg.metadata.sequence.stream, None)
        await msg.term()
        return True

    async def _has_work(self, event: E) -> bool:
        if self._needs is None:
            return True
        async with self._pool.acquire() as conn:
            return await self._needs(conn, event)

    async def _apply(self, event_id: object, event: E) -> None:
        """The effect and the inbox row in one transaction. A deadlock between replicas is
        retried here at once rather than spending one of the event's deliveries."""
        for attempt in range(3):
            try:
                after = None
                async with self._pool.acquire() as conn, conn.transaction():
                    fresh = await conn.fetchval(
                        "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
                        self.name,
                        event_id,
                    )
                    if fresh:
                        after = await self._handler(conn, event)
                if after is not None:
                    after()
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
