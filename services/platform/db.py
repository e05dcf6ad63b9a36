"""PostgreSQL access: a pool bound to the service's own schema, and start-up migrations.

Migrations are the service's `sql/NNN_name.sql` files, applied in order once each, under a
transaction-scoped advisory lock so two replicas starting together do not race.
"""

import hashlib
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg
import msgspec

Pool = asyncpg.Pool

# A pool grows at start-up (every background loop borrows at once) and at each burst; an idle
# PostgreSQL backend keeps 2-8 MiB (its catalog cache and prepared plans). So a connection left
# unused this long is closed: after a quiet half minute, reopening one costs a few ms once.
IDLE_CONNECTION_SECONDS = 30.0


async def connect(
    database_url: str,
    schema: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    decode_json: bool = False,
    idle_seconds: float = IDLE_CONNECTION_SECONDS,
) -> Pool:
    """A pool whose connections see the service's schema first (and nothing else by default).
    With `decode_json`, jsonb columns come back decoded and take Python values (see `json_codec`)."""
    await ensure_schema(database_url, schema)
    pool = await asyncpg.create_pool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        max_inactive_connection_lifetime=idle_seconds,
        # Fail fast while the database is away (the caller retries) instead of hanging 60 s.
        timeout=5,
        server_settings={"search_path": schema, "application_name": f"secpool-{schema}"},
        reset=keep_session,
        init=json_codec if decode_json else None,
    )
    assert pool is not None
    return pool


async def json_codec(conn: asyncpg.Connection) -> None:
    """jsonb in and out through msgspec, once per connection: stores read lists and objects, not
    text to decode, and write values, not text they encoded themselves."""
    await conn.set_type_codec(
        "jsonb",
        schema="pg_catalog",
        encoder=lambda value: msgspec.json.encode(value).decode(),
        decoder=msgspec.json.decode,
        format="text",
    )


async def keep_session(conn: asyncpg.Connection) -> None:
    """What a connection given back to the pool needs undone: nothing beyond what asyncpg always
    does (roll back a transaction left open, drop listener callbacks). Advisory locks and settings
    are transaction-scoped here (pg_advisory_xact_lock, SET LOCAL), nothing makes temporary tables
    or cursors, and the wake-up listener never gives back a connection still listening. asyncpg's
    default reset (unlock all, CLOSE ALL, UNLISTEN *, RESET ALL) would be a round trip a release."""


async def ensure_schema(database_url: str, schema: str) -> None:
    """Create the schema when it is missing. A service's own role (see `secpool db roles`) finds
    it made for it and may not create schemas: CREATE SCHEMA checks that right even when the
    schema exists, so it is asked only when the schema is missing."""
    conn = await asyncpg.connect(database_url, timeout=10)
    try:
        if not await conn.fetchval("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema):
            await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    except asyncpg.UniqueViolationError:
        pass  # another replica created it between our check and our create
    finally:
        await conn.close()


def _lock_key(schema: str) -> int:
    return int.from_bytes(hashlib.sha256(schema.encode()).digest()[:8], "big", signed=True)


async def migrate(pool: Pool, schema: str, packages: list[str]) -> list[str]:
    """Apply each package's sql/*.sql not yet applied (platform plumbing first, then the
    service's own files); returns the names applied now."""
    applied_now: list[str] = []
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _lock_key(schema))
        await conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations ('
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        rows = await conn.fetch(f'SELECT name FROM "{schema}".schema_migrations')
        done = {r["name"] for r in rows}
        for package in ["services.platform", *packages]:
            folder = resources.files(package).joinpath("sql")
            for f in sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name):
                name = f"{package}/{f.name}"
                if name in done:
                    continue
                await conn.execute(f.read_text())
                await conn.execute(f'INSERT INTO "{schema}".schema_migrations (name) VALUES ($1)', name)
                applied_now.append(name)
    return applied_now


# What store functions take: a plain connection or one borrowed from a pool.
# (asyncpg's classes are generic only in its stubs, not at run time.)
if TYPE_CHECKING:
    Conn = asyncpg.Connection[Any] | asyncpg.pool.PoolConnectionProxy[Any]
else:
    Conn = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy


Shape = TypeVar("Shape", bound=msgspec.Struct)


def as_record(shape: type[Shape], row: asyncpg.Record) -> Shape:
    """A row as the store's named record. The record's fields are exactly the query's columns, so
    a renamed or missing column fails here, loudly, not later as a wrong value on a page."""
    return shape(**row)


def as_records(shape: type[Shape], rows: Iterable[asyncpg.Record]) -> list[Shape]:
    return [shape(**row) for row in rows]
