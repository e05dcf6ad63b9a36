"""Retention: published outbox rows and inbox rows past the retention period are pruned in
batches, pending rows never; under a steady stream of events the tables stay bounded."""

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from services.platform import retention
from services.platform.settings import ConfigError, Settings
from tests.support import PUBLIC_KEY

KEEP = timedelta(hours=1)


async def add_events(pool: asyncpg.Pool, count: int, *, published: bool, age: timedelta) -> None:
    at = datetime.now(UTC) - age
    await pool.executemany(
        "INSERT INTO outbox (event_id, subject, payload, status, created_at, published_at) VALUES ($1, 's', '', $2, $3, $4)",
        [(uuid.uuid4(), "published" if published else "pending", at, at if published else None) for _ in range(count)],
    )
    await pool.executemany(
        "INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('c', $1, $2)",
        [(uuid.uuid4(), at) for _ in range(count)],
    )


async def sizes(pool: asyncpg.Pool) -> tuple[int, int]:
    return (await pool.fetchval("SELECT count(*) FROM outbox"), await pool.fetchval("SELECT count(*) FROM inbox"))


async def test_only_published_rows_past_the_period_are_pruned_in_batches(plumbing):
    await add_events(plumbing, 250, published=True, age=timedelta(hours=2))
    await add_events(plumbing, 30, published=False, age=timedelta(hours=2))  # never published: kept
    await add_events(plumbing, 40, published=True, age=timedelta(minutes=5))  # recent: kept
    pruned = await retention.prune(plumbing, older_than=KEEP, batch=100)
    assert pruned == 250 + 280  # outbox: the old published ones; inbox: everything old
    assert await sizes(plumbing) == (70, 40)
    assert await plumbing.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'") == 30


async def test_under_a_steady_stream_the_tables_stay_bounded(plumbing):
    """Each round, an hour's worth of events arrives and the older ones are pruned: the
    tables hold about one period of rows, however many rounds pass."""
    seen = []
    start = datetime.now(UTC)
    for hour in range(8):
        now = start + timedelta(hours=hour)
        await add_events(plumbing, 200, published=True, age=start - now)  # stamped "now" in this round
        await retention.prune(plumbing, older_than=KEEP, batch=64, now=now)
        seen.append(await sizes(plumbing))
    assert max(outbox for outbox, _ in seen) <= 400 and max(inbox for _, inbox in seen) <= 400
    assert seen[-1] == seen[-2]


def test_a_retention_shorter_than_twice_the_duplicate_window_is_refused():
    env = {"DATABASE_URL": "postgresql://x", "NATS_URL": "nats://x", "SECPOOL_TOKEN_PUBLIC_KEY": PUBLIC_KEY}
    with pytest.raises(ConfigError, match="SECPOOL_RETENTION_SECONDS"):
        Settings.from_env("intake", {**env, "SECPOOL_RETENTION_SECONDS": "60"})
    assert Settings.from_env("intake", {**env, "SECPOOL_RETENTION_SECONDS": "86400"}).retention_seconds == 86400
