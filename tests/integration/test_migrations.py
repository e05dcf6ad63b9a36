"""Start-up migrations: versioned, applied once, safe when replicas start together."""

import asyncio

from services.platform import db


async def test_two_replicas_migrating_at_once_apply_each_file_exactly_once(database_url):
    pools = [await db.connect(database_url, "intake") for _ in range(2)]
    try:
        applied = await asyncio.gather(*(db.migrate(p, "intake", ["services.intake"]) for p in pools))
        names = sorted(applied[0] + applied[1])
        assert names == [
            "services.intake/001_requests.sql",
            "services.intake/002_lifecycle.sql",
            "services.platform/001_plumbing.sql",
        ]
        assert await db.migrate(pools[0], "intake", ["services.intake"]) == []
    finally:
        for p in pools:
            await p.close()
