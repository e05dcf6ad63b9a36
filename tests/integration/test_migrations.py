"""Start-up migrations: versioned, applied once, safe when replicas start together."""

import asyncio
from pathlib import Path

import services
from services.platform import db


def on_disk(package: str) -> list[str]:
    folder = Path(services.__file__).parent / package.split(".")[1] / "sql"
    return sorted(f"{package}/{path.name}" for path in folder.glob("*.sql"))


async def test_two_replicas_migrating_at_once_apply_each_file_exactly_once(database_url):
    pools = [await db.connect(database_url, "intake") for _ in range(2)]
    try:
        applied = await asyncio.gather(*(db.migrate(p, "intake", ["services.intake"]) for p in pools))
        names = sorted(applied[0] + applied[1])
        assert names == on_disk("services.intake") + on_disk("services.platform")
        assert len(set(names)) == len(names)
        assert await db.migrate(pools[0], "intake", ["services.intake"]) == []
    finally:
        for p in pools:
            await p.close()
