"""Retention: published outbox rows and inbox rows older than the setting are deleted in
small batches, so the tables stay bounded without long locks. Safe on every replica (rows
are claimed with SKIP LOCKED). The setting must outlast JetStream's duplicate window: until
then a re-published event is dropped by JetStream, and after it only the inbox catches it.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import structlog
from prometheus_client import Counter

log = structlog.get_logger(__name__)

PRUNED = Counter("secpool_pruned_rows", "Outbox and inbox rows pruned after the retention period", ["table"])

_OUTBOX = (
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'published' AND published_at < $1"
    " ORDER BY published_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
)
_INBOX = (
    "DELETE FROM inbox WHERE (consumer, event_id) IN (SELECT consumer, event_id FROM inbox WHERE processed_at < $1"
    " ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
)


async def prune(pool: asyncpg.Pool, *, older_than: timedelta, batch: int = 1000, now: datetime | None = None) -> int:
    """Delete what is older than `older_than`, one batch per transaction; returns how many rows."""
    cutoff = (now or datetime.now(UTC)) - older_than
    total = 0
    for table, sql in (("outbox", _OUTBOX), ("inbox", _INBOX)):
        while True:
            status = await pool.execute(sql, cutoff, batch)
            deleted = int(status.split()[-1])
            total += deleted
            PRUNED.labels(table).inc(deleted)
            if deleted < batch:
                break
            await asyncio.sleep(0)  # let other work in between batches
    return total


async def run(pool: asyncpg.Pool, *, older_than: timedelta, every_seconds: float) -> None:
    """The background job: prune now and then, until cancelled."""
    while True:
        pruned = await prune(pool, older_than=older_than)
        if pruned:
            log.info("pruned outbox and inbox rows", rows=pruned)
        await asyncio.sleep(every_seconds)
