"""Pool names for every page, kept in memory: the registry is small and pages are many, so a
background loop re-reads it every few seconds (and at once after a pool is saved here)."""

import asyncio

import asyncpg
import structlog

from pwa.people import store

log = structlog.get_logger(__name__)


class PoolNames:
    def __init__(self) -> None:
        self._names: dict[str, tuple[str, str]] = {}

    def name(self, pool_id: str, language: str) -> str:
        """The pool's name in the language; its id if the pool is unknown."""
        nl, en = self._names.get(pool_id, (pool_id, pool_id))
        return nl if language == "nl" else en

    async def load(self, pool: asyncpg.Pool) -> None:
        async with pool.acquire() as conn:
            self._names = {p.id: (p.name_nl, p.name_en) for p in await store.pools(conn)}

    async def keep_fresh(self, pool: asyncpg.Pool, every_seconds: float = 5.0) -> None:
        while True:
            try:
                await self.load(pool)
            except (OSError, asyncpg.PostgresError) as exc:  # the database restarting: try again soon
                log.warning("pool names not refreshed", error=repr(exc))
            await asyncio.sleep(every_seconds)
