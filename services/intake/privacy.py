"""Privacy in intake: a person's erasure (identity's `AccountErased`) removes their text, and
closed requests lose their text once older than the organisation's retention period. Both keep
the rows, so every figure the pool sees stays the same."""

import asyncio

import asyncpg
import structlog

from services.contracts.identity import AccountErased
from services.intake import store_privacy
from services.platform.db import Conn, Pool
from services.platform.runtime import Runtime

log = structlog.get_logger(__name__)
ERASED_SUBJECTS = ["secpool.identity.account.erased"]
RETENTION_CHECK_SECONDS = 3600.0


async def on_erased(conn: Conn, event: AccountErased) -> None:
    """Idempotent: erasing text twice leaves it erased."""
    await store_privacy.erase(conn, event.account_id)


async def apply_retention(pool: Pool) -> int:
    """One pass: anonymise what the retention period says is due (in batches)."""
    total = 0
    async with pool.acquire() as conn:
        days = await store_privacy.retention_days(conn)
        while days is not None:
            async with conn.transaction():
                done = await store_privacy.anonymise_closed(conn, older_than_days=days)
            total += done
            if done == 0:
                break
    if total:
        log.info("closed requests anonymised", count=total)
    return total


async def keep_retention(rt: Runtime, every_seconds: float = RETENTION_CHECK_SECONDS) -> None:
    while True:
        try:
            await apply_retention(rt.pool)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("retention pass failed; retrying next round", error=repr(exc))
        await asyncio.sleep(every_seconds)
