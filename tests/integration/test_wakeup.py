"""The NOTIFY-woken worker loop (relay, push sender, mail) on real PostgreSQL: work announced
while a round runs starts the next round at once, never after the slow fallback poll."""

import asyncio

import asyncpg
import pytest

from services.platform import wakeup


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
