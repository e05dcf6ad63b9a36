"""The database pool (platform/db.py): a connection given back costs no statement (no reset
query) and carries nothing over to the next borrower; connections left idle are closed."""

import asyncio

import asyncpg

from services.platform import db
from tests.support import close_conn, close_pool, eventually


async def test_giving_a_connection_back_sends_nothing(database_url: str) -> None:
    pool = await db.connect(database_url, "recognition", min_size=1, max_size=1)
    try:
        sent: list[str] = []
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda record: sent.append(record.query))
            await conn.fetchval("SELECT 1")
        async with pool.acquire() as conn:  # the same connection again (the pool holds one)
            await conn.fetchval("SELECT 2")
        await eventually(lambda: _copy(sent), lambda seen: "SELECT 2" in seen)
        assert sent == ["SELECT 1", "SELECT 2"]
    finally:
        await close_pool(pool)


async def test_a_transaction_left_open_is_rolled_back_on_release(database_url: str) -> None:
    pool = await db.connect(database_url, "recognition", min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("CREATE TABLE IF NOT EXISTS left_open (n integer)")
        async with pool.acquire() as conn:
            tx = conn.transaction()
            await tx.start()  # never committed: a bug elsewhere, not a managed transaction
            await conn.execute("INSERT INTO left_open VALUES (1)")
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM left_open") == 0
            assert await conn.fetchval("SELECT current_setting('search_path')") == "recognition"
    finally:
        await close_pool(pool)


async def test_connections_a_burst_opened_are_closed_once_idle(database_url: str) -> None:
    pool = await db.connect(database_url, "recognition", max_size=4, idle_seconds=1.0)
    try:

        async def borrow(held: asyncio.Event) -> None:
            async with pool.acquire() as conn:
                await conn.fetchval("SELECT 1")
                await held.wait()

        held = asyncio.Event()
        borrowers = [asyncio.create_task(borrow(held)) for _ in range(4)]
        await eventually(lambda: _backends(database_url), lambda n: n == 4)
        held.set()
        await asyncio.gather(*borrowers)
        await eventually(lambda: _backends(database_url), lambda n: n == 1)  # the one it always keeps
        async with pool.acquire() as conn:  # and the pool opens one again when asked
            assert await conn.fetchval("SELECT 3") == 3
    finally:
        await close_pool(pool)


async def _backends(database_url: str) -> int:
    conn = await asyncpg.connect(database_url, timeout=10)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return count
    finally:
        await close_conn(conn)


async def _copy(items: list[str]) -> list[str]:
    return list(items)
