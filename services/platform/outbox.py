"""Transactional outbox: events are rows written with the state change, then relayed.

`add` runs inside the caller's transaction. The relay claims pending rows with
`FOR UPDATE SKIP LOCKED` (so several relays share the work) and marks them in the same
statement, publishes them in order with `Nats-Msg-Id = event_id` (JetStream drops a
re-publish), and commits after the PubAcks (a publish that fails rolls the mark back); it
sleeps until a NOTIFY from the outbox trigger wakes it (a slow poll is only the fallback).
"""

import asyncio
import os
import signal
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
    ) -> None:
        self._pool = pool
        self._js = js
        self._channel = f"{schema}_outbox"
        self._batch = batch
        self._idle = idle_poll_seconds
        self._exit_after = exit_after  # fault-test hook, 0 = off
        self._published = 0

    async def run(self) -> None:
        await wakeup.run_rounds(
            self._pool,
            self._channel,
            self.publish_pending,
            full=self._batch,
            idle_seconds=self._idle,
            what="outbox relay",
        )

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were published."""
        # Claimed and marked in one statement; a publish that fails rolls the mark back. The
        # rows stay locked until the commit, so no other relay takes them meanwhile.
        async with self._pool.acquire() as conn, conn.transaction():
            claimed = await conn.fetch(
                "UPDATE outbox SET status = 'published', published_at = now() WHERE id IN ("
                " SELECT id FROM outbox WHERE status = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)"
                " RETURNING id, event_id, subject, payload",
                self._batch,
            )
            if not claimed:
                return 0
            rows = sorted(claimed, key=lambda r: r["id"])  # RETURNING keeps no order
            acks = [
                await self._js.publish_async(
                    r["subject"], bytes(r["payload"]), headers={"Nats-Msg-Id": str(r["event_id"])}
                )
                for r in rows
            ]
            async with asyncio.timeout(5):  # not wait_for, which may swallow a cancel (see wakeup)
                await asyncio.gather(*acks)
            self._maybe_die(len(rows))
        return len(rows)

    def _maybe_die(self, count: int) -> None:
        """Fault tests: die between PubAck and commit, as a crash there would."""
        self._published += count
        if self._exit_after and self._published >= self._exit_after:
            log.warning("fault hook: killing the process between publish and commit")
            os.kill(os.getpid(), signal.SIGKILL)
