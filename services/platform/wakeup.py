"""A worker loop woken by PostgreSQL NOTIFY: do rounds of work while there is a full batch,
then sleep until a NOTIFY on the channel (or a slow fallback poll). The outbox relay and the
pwa's push sender both run on it, so new work is picked up within milliseconds."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import asyncpg
import structlog

log = structlog.get_logger(__name__)


async def run_rounds(
    pool: asyncpg.Pool,
    channel: str,
    one_round: Callable[[], Awaitable[int]],
    *,
    full: int,
    idle_seconds: float,
    what: str,
) -> None:
    """Call `one_round` (it returns how much it did) forever; a round that did `full` work
    is followed at once by the next. A failing round is logged and retried shortly."""
    wake = asyncio.Event()

    def on_notify(*_: object) -> None:
        wake.set()

    listener = await pool.acquire()
    try:
        await listener.add_listener(channel, on_notify)
        while True:
            try:
                done = await one_round()
            except Exception as exc:  # the worker must outlive a bad round; its rows come due again
                log.warning(f"{what} failed; retrying", error=repr(exc))
                done = 0
                await asyncio.sleep(0.5)
            if done >= full:
                continue
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), idle_seconds)
    finally:
        with contextlib.suppress(Exception):
            await listener.remove_listener(channel, on_notify)
        await pool.release(listener)
