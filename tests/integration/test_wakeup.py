"""The NOTIFY-woken worker loop (relay, push sender, mail) on real PostgreSQL: work announced
while a round runs starts the next round at once, never after the slow fallback poll."""

import asyncio

import asyncpg
import pytest

from services.platform import db, wakeup
from tests.support import close_pool


async def test_a_notify_that_comes_during_a_round_starts_the_next_round(plumbing: asyncpg.Pool, monkeypatch):
    # No fallback poll within the test's bound: only the NOTIFY can start the second round.
    monkeypatch.setattr(wakeup, "CHECK_EVERY_SECONDS", 3600.0)
    heard = asyncio.Event()
    listener_heard = wakeup.Listener._on_notify

    def on_notify(self: wakeup.Listener, *args: object) -> None:
        listener_heard(self, *args)
        heard.set()

    monkeypatch.setattr(wakeup.Listener, "_on_notify", on_notify)
    rounds = 0
    second = asyncio.Event()

    async def one_round() -> int:
        nonlocal rounds
        rounds += 1
        if rounds == 1:  # work is committed after this round looked, and announced while it runs
            await plumbing.execute("SELECT pg_notify('test_wakeup', '')")
            await asyncio.wait_for(heard.wait(), 10)
        else:
            second.set()
        return 0

    worker = asyncio.create_task(
        wakeup.run_rounds(plumbing, "test_wakeup", one_round, full=10, idle_seconds=3600, what="test worker")
    )
    try:
        await asyncio.wait_for(second.wait(), 20)
    except TimeoutError:
        pytest.fail("the NOTIFY heard during the first round was lost: no second round")
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)


async def test_the_listener_gives_its_connection_back_not_listening(database_url: str, monkeypatch) -> None:
    """Pooled connections are not reset on release (db.keep_session): the listener's own must
    come back without its LISTEN, also when the UNLISTEN fails (then it is closed instead)."""
    pool = await db.connect(database_url, "recognition", min_size=1, max_size=1)
    try:
        listener = wakeup.Listener(pool, "test_given_back", asyncio.Event())
        await listener.open()
        await listener.close()
        assert await pool.fetchval("SELECT count(*) FROM pg_listening_channels()") == 0

        await listener.open()
        listening_pid = await pool_pid_of(listener)

        async def broken(*_: object) -> None:
            raise OSError("connection reset while unlistening")

        monkeypatch.setattr(asyncpg.Connection, "remove_listener", broken)
        await listener.close()
        async with pool.acquire() as conn:
            assert conn.get_server_pid() != listening_pid
            assert await conn.fetchval("SELECT count(*) FROM pg_listening_channels()") == 0
    finally:
        await close_pool(pool)


async def pool_pid_of(listener: wakeup.Listener) -> int:
    assert listener._conn is not None
    return int(listener._conn.get_server_pid())
