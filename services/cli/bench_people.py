"""The people `secpool bench` needs beyond the demo's: more secretaries in the demo pool (so
a phase at hundreds of requests a second has room: 50 open offers each at most), imported as
`secpool people import` does (routing hears of them through the identity events), and signed
in without a password (a session made directly, as the tests do)."""

import asyncio
import time
from pathlib import Path

import asyncpg

from pwa import accounts
from services.cli import admin, bench_store


def emails(count: int) -> list[str]:
    return [f"bench-member-{k}@example.org" for k in range(count)]


async def add_members(database_url: str, url: str, pool_id: str, count: int, within: float = 60.0) -> list[str]:
    """Import `count` secretaries into the pool; returns their account ids once routing has them."""
    addresses = emails(count)
    text = "email,name,roles,pools,language\n" + "".join(
        f"{e},Bench member {k},secretary,{pool_id},en\n" for k, e in enumerate(addresses)
    )
    if await admin.import_people(database_url, url, Path("bench-members.csv"), text, dry_run=False, say=_quiet):
        raise RuntimeError("importing the bench's members failed")
    ids = list((await bench_store.bench_accounts(database_url, addresses)).values())
    deadline = time.monotonic() + within
    while await bench_store.members_in_routing(database_url, ids) < len(ids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"routing did not get the bench's {count} members within {within:.0f} s")
        await asyncio.sleep(0.2)
    return ids


async def sessions(database_url: str, account_ids: list[str]) -> dict[str, str]:
    """A signed-in session token per account."""
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "pwa"})
    try:
        return {a: await accounts.start_session(conn, a) for a in account_ids}
    finally:
        await conn.close()


def _quiet(_: str) -> None:
    return None
