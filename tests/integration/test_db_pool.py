"""The database pool (platform/db.py): a connection given back costs no statement (no reset
query) and carries nothing over to the next borrower."""

from services.platform import db
from tests.support import close_pool, eventually


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


async def _copy(items: list[str]) -> list[str]:
    return list(items)
