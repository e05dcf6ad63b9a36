"""A worker loop woken by PostgreSQL NOTIFY: do rounds of work while there is a full batch,
then sleep until a NOTIFY on the channel (or a slow fallback poll). The outbox relay and the
pwa's push sender both run on it, so new work is picked up within milliseconds.

The LISTEN connection heals: when the database restarts it is reopened (and checked now and
then, since a silently dead connection would hear nothing), so latency comes back by itself.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import structlog

from services.platform.failures import retry_delay

log = structlog.get_logger(__name__)

CHECK_EVERY_SECONDS = 5.0  # how often an idle listener proves it still hears the database


class Listener:
    """One LISTEN connection from the pool that sets `wake` on every NOTIFY on `channel`."""

    def __init__(self, pool: asyncpg.Pool, channel: str, wake: asyncio.Event) -> None:
        self._pool = pool
        self._channel = channel
        self._wake = wake
        self._conn: asyncpg.pool.PoolConnectionProxy[Any] | None = None
        self._checked = 0.0
        self._lost = False

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    def _on_lost(self, *_: object) -> None:
        self._lost = True
        self._wake.set()  # wake the loop at once, so it reopens the listener

    @property
    def listening(self) -> bool:
        if self._conn is None or self._lost:
            return False
        try:
            return not self._conn.is_closed()
        except asyncpg.InterfaceError:  # the pool took the dead connection back already
            return False

    async def open(self) -> None:
        conn = await self._pool.acquire(timeout=5)
        try:
            await conn.add_listener(self._channel, self._on_notify)
            conn.add_termination_listener(self._on_lost)
        except BaseException:
            await self._pool.release(conn)
            raise
        self._conn = conn
        self._lost = False
        self._checked = time.monotonic()
        self._wake.set()  # work may have arrived while nobody listened

    async def healthy(self) -> bool:
        """False when the connection is gone; probes it at most every CHECK_EVERY_SECONDS."""
        if not self.listening:
            return False
        if time.monotonic() - self._checked < CHECK_EVERY_SECONDS:
            return True
        assert self._conn is not None
        try:
            async with asyncio.timeout(3):
                await self._conn.fetchval("SELECT 1")
        except Exception:
            return False
        self._checked = time.monotonic()
        return True

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            async with asyncio.timeout(2):
                await conn.remove_listener(self._channel, self._on_notify)
        except Exception:
            # The pool does not reset a connection given back (db.keep_session): one that may
            # still listen is closed rather than handed to someone else.
            with contextlib.suppress(Exception):
                conn.terminate()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                await self._pool.release(conn)


async def run_rounds(
    pool: asyncpg.Pool,
    channel: str,
    one_round: Callable[[], Awaitable[int]],
    *,
    full: int,
    idle_seconds: float,
    what: str,
    wake: asyncio.Event | None = None,
) -> None:
    """Call `one_round` (it returns how much it did) forever; a round that did `full` work
    is followed at once by the next. A failing round is logged and retried shortly. `wake`:
    an event this process sets when it has work for the loop, besides the NOTIFYs."""
    wake = wake if wake is not None else asyncio.Event()
    listener = Listener(pool, channel, wake)
    failures = 0
    deaf = False
    try:
        while True:
            if not await listener.healthy():
                await listener.close()
                try:
                    await listener.open()
                    if deaf:
                        log.info(f"{what}: listening for wake-ups again", channel=channel)
                    deaf = False
                except Exception as exc:  # the database is away: keep polling until it is back
                    if not deaf:
                        log.warning(f"{what}: cannot listen for wake-ups; polling", error=repr(exc))
                    deaf = True
            # Cleared before the round, not after: a NOTIFY that comes while the round runs
            # (work committed after its SELECT) must wake the next wait, not be wiped out.
            wake.clear()
            try:
                done = await one_round()
                failures = 0
            except Exception as exc:  # the worker must outlive a bad round; its rows come due again
                failures += 1
                if failures == 1:
                    log.warning(f"{what} failed; retrying", error=repr(exc))
                await asyncio.sleep(retry_delay(failures))
                continue
            if done >= full:
                continue
            with contextlib.suppress(TimeoutError):
                # Without a listener, poll often: nothing else would wake us. With one, still
                # look up now and then, to prove it hears the database.
                wait = min(idle_seconds, CHECK_EVERY_SECONDS if listener.listening else 0.5)
                # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancellation
                # that comes as the awaited thing finishes, and the loop would outlive its cancel.
                async with asyncio.timeout(wait):
                    await wake.wait()
    finally:
        await listener.close()
