"""The SQL `secpool bench` runs itself: it readies the demo pool for load and reads
PostgreSQL's own counters (pg_stat_statements when loaded, pg_stat_database always)."""

import asyncpg

ROUTING = {"search_path": "routing"}  # as routing's own connections: its triggers name its tables so
ROUND_THE_CLOCK = "[" + ", ".join(["[[0, 1440]]"] * 7) + "]"
LANGUAGES = ["nl", "en"]  # every language the demo's request types and requesters use


async def count_statements(database_url: str) -> bool:
    """Make pg_stat_statements readable here; False when the server has not loaded it (a given
    DATABASE_URL without shared_preload_libraries): then only transactions are counted."""
    conn = await asyncpg.connect(database_url)
    try:
        loaded = await conn.fetchval(
            "SELECT 'pg_stat_statements' = ANY(string_to_array(current_setting('shared_preload_libraries'), ', '))"
        )
        if loaded:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        return bool(loaded)
    finally:
        await conn.close()


async def statements_and_transactions(database_url: str, statements: bool) -> tuple[int | None, int]:
    """Statements executed (every database, BEGIN/COMMIT included) and transactions ended."""
    conn = await asyncpg.connect(database_url)
    try:
        executed = None
        if statements:
            executed = int(await conn.fetchval("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"))
        ended = int(await conn.fetchval("SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database"))
        return executed, ended
    finally:
        await conn.close()


async def statements_by_query(database_url: str) -> dict[tuple[str, str], int]:
    """Calls so far of each statement, by the role that sent it (each service connects as its
    own role): the difference of two is where a phase's statements went."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT r.rolname, s.query, sum(s.calls)::bigint AS calls FROM pg_stat_statements s"
            " JOIN pg_roles r ON r.oid = s.userid GROUP BY 1, 2"
        )
        return {(r["rolname"], r["query"]): int(r["calls"]) for r in rows}
    finally:
        await conn.close()


async def bench_accounts(database_url: str, emails: list[str]) -> dict[str, str]:
    """The pwa's account ids of these people, by e-mail address."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT id, email FROM pwa.accounts WHERE email = ANY($1::text[])", emails)
        return {r["email"]: r["id"] for r in rows}
    finally:
        await conn.close()


async def members_in_routing(database_url: str, ids: list[str]) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM routing.members WHERE id = ANY($1::text[])", ids))
    finally:
        await conn.close()


async def members_take_everything(database_url: str, pool_id: str, skill: str) -> list[str]:
    """Every member of the pool skilled for the bench's requests and speaking their language
    (the imported ones speak English only), on shift around the clock, available, at full
    capacity. Returns their ids."""
    conn = await asyncpg.connect(database_url, server_settings=ROUTING)
    try:
        rows = await conn.fetch(
            "UPDATE routing.members SET capacity = 50, presence = 'available', hours = $2::jsonb,"
            " skills = skills || jsonb_build_object($3::text, 4), languages = $4::text[]"
            " WHERE pool_id = $1 AND active RETURNING id",
            pool_id,
            ROUND_THE_CLOCK,
            skill,
            LANGUAGES,
        )
        return [r["id"] for r in rows]
    finally:
        await conn.close()


async def free_members(database_url: str, pool_id: str) -> None:
    """Between phases: the bench's open offers count as done and every member has room again
    (as if they had taken and finished the work), so each phase starts with the same room."""
    conn = await asyncpg.connect(database_url, server_settings=ROUTING)
    try:
        async with conn.transaction():
            await conn.execute(
                "UPDATE routing.offers SET status = 'done' WHERE status = 'open'"
                " AND member_id IN (SELECT id FROM routing.members WHERE pool_id = $1)",
                pool_id,
            )
            await conn.execute("UPDATE routing.members SET open_count = 0 WHERE pool_id = $1", pool_id)
    finally:
        await conn.close()
