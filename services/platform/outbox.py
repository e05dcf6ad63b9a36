"""Transactional outbox: events are rows written with the state change, then relayed.

`add` runs inside the caller's transaction. The relay leases pending rows with
`FOR UPDATE SKIP LOCKED` (so several relays share the work), publishes them in order with
`Nats-Msg-Id = event_id` (JetStream drops a re-publish) and marks them published after the
PubAcks, with its next claim or within half a second; it sleeps until a NOTIFY from the outbox trigger wakes it (a slow poll is only the
fallback).
"""

import asyncio
import contextlib
import os
import signal
import time
from uuid import UUID

import asyncpg
import msgspec
import structlog
from nats.js import JetStreamContext

from services.contracts.base import Event
from services.platform import wakeup
from services.platform.db import Conn

log = structlog.get_logger(__name__)
_encoder = msgspec.json.Encoder()


def subject_of(event: Event) -> str:
    tag = type(event).__struct_config__.tag
    assert isinstance(tag, str), f"{type(event).__name__} needs an explicit subject tag"
    return tag


# For a store that writes an event's row in the same statement as the change it announces
# (a round trip less than `add`): `INSERT_INTO` followed by the three values of `row`.
INSERT_INTO = "INSERT INTO outbox (event_id, subject, payload)"


def row(event: Event) -> tuple[UUID, str, bytes]:
    return (event.event_id, subject_of(event), _encoder.encode(event))


async def add(conn: Conn, *events: Event) -> None:
    """Queue events for publishing; call inside the transaction that changes the state."""
    await conn.executemany(f"{INSERT_INTO} VALUES ($1, $2, $3)", [row(e) for e in events])


# Longer than a round can take (its PubAcks wait at most 5 s), far shorter than JetStream's
# duplicate window: rows a dead relay leased are published again, and the copy is dropped.
LEASE_SECONDS = 15.0
# Published rows are marked with the next claim (one statement a round, not two, while events
# keep coming), and at the latest this long after their PubAck (still leased meanwhile).
MARK_WITHIN_SECONDS = 0.5

_CLAIM = (
    "WITH marked AS (UPDATE outbox SET status = 'published', published_at = now(), leased_until = NULL"
    " WHERE id = ANY($3::bigint[]))"
    " UPDATE outbox SET leased_until = now() + $2::float8 * interval '1 second' WHERE id IN ("
    " SELECT id FROM outbox WHERE status = 'pending' AND (leased_until IS NULL OR leased_until < now())"
    " AND id <> ALL($3::bigint[]) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)"
    " RETURNING id, event_id, subject, payload"
)
_MARK = "UPDATE outbox SET status = 'published', published_at = now(), leased_until = NULL WHERE id = ANY($1::bigint[])"
_RELEASE = "UPDATE outbox SET leased_until = NULL WHERE id = ANY($1::bigint[]) AND status = 'pending'"


class Relay:
    """Publishes the schema's outbox to JetStream until stopped."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        schema: str,
        *,
        batch: int = 200,
        idle_poll_seconds: float = 2.0,
        exit_after: int = 0,
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self._pool = pool
        self._js = js
        self._channel = f"{schema}_outbox"
        self._batch = batch
        self._idle = idle_poll_seconds
        self._lease = lease_seconds
        self._exit_after = exit_after  # fault-test hook, 0 = off
        self._published = 0
        self._held: list[asyncpg.Record] = []  # claimed, not yet published: these go first
        self._held_since = 0.0
        self._unmarked: list[int] = []  # published, to be marked
        self._unmarked_since = 0.0

    async def run(self) -> None:
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._mark_late(), name="outbox-relay-marks")
                tasks.create_task(
                    wakeup.run_rounds(
                        self._pool,
                        self._channel,
                        self.publish_pending,
                        full=self._batch,
                        idle_seconds=self._idle,
                        what="outbox relay",
                    ),
                    name="outbox-relay",
                )
        finally:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await self.mark_published()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were published.

        Each statement commits by itself: the lease, not an open transaction, keeps other
        relays off the rows while they are published, and the claim marks what the last round
        published (one statement a round). Rows this relay still holds (a publish that failed)
        go first, so its own events keep their order."""
        if self._held and time.monotonic() - self._held_since > self._lease:
            self._held = []  # the lease ran out: another relay may have them; claim afresh
        if not self._held:
            unmarked, self._unmarked = self._unmarked, []
            try:
                claimed = await self._pool.fetch(_CLAIM, self._batch, self._lease, unmarked)
            except BaseException:
                self._unmarked = unmarked + self._unmarked
                raise
            self._held = sorted(claimed, key=lambda r: r["id"])  # RETURNING keeps no order
            self._held_since = time.monotonic()
        rows = self._held
        if not rows:
            return 0
        try:
            acks = [
                await self._js.publish_async(
                    r["subject"], bytes(r["payload"]), headers={"Nats-Msg-Id": str(r["event_id"])}
                )
                for r in rows
            ]
            async with asyncio.timeout(5):  # not wait_for, which may swallow a cancel (see wakeup)
                await asyncio.gather(*acks)
        except BaseException:
            await self._release([r["id"] for r in rows])
            raise
        self._maybe_die(len(rows))
        if not self._unmarked:
            self._unmarked_since = time.monotonic()
        self._unmarked += [r["id"] for r in rows]
        self._held = []
        return len(rows)

    async def mark_published(self) -> None:
        """Mark what was published and not yet marked, now."""
        unmarked, self._unmarked = self._unmarked, []
        if not unmarked:
            return
        try:
            await self._pool.execute(_MARK, unmarked)
        except BaseException:
            self._unmarked = unmarked + self._unmarked
            raise

    async def _mark_late(self) -> None:
        """When no claim came to mark them, published rows are marked by themselves."""
        failing = False
        while True:
            await asyncio.sleep(MARK_WITHIN_SECONDS / 2)
            if self._unmarked and time.monotonic() - self._unmarked_since >= MARK_WITHIN_SECONDS:
                try:
                    await self.mark_published()
                    failing = False
                except Exception as exc:  # the database is away: the rows stay leased, retried here
                    if not failing:
                        log.warning("outbox relay could not mark published rows; retrying", error=repr(exc))
                    failing = True

    async def _release(self, ids: list[int]) -> None:
        """Give the rows back at once, so the next round (of any relay) retries them; when the
        database cannot be told, this relay keeps them and retries them first."""
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await self._pool.execute(_RELEASE, ids)
                self._held = []

    def _maybe_die(self, count: int) -> None:
        """Fault tests: die between PubAck and mark, as a crash there would."""
        self._published += count
        if self._exit_after and self._published >= self._exit_after:
            log.warning("fault hook: killing the process between publish and mark")
            os.kill(os.getpid(), signal.SIGKILL)
