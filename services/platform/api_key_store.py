"""The `api_keys` table (003_api_keys.sql): the pwa writes the keys it issues, every service
keeps its copy from the pwa's identity events. A key's events carry an increasing `version`:
a stale one (a redelivered issue after the revocation) changes nothing."""

import uuid
from datetime import datetime

import msgspec

from services.contracts.identity import ApiKeyIssued, ApiKeyRevoked
from services.platform.db import Conn

# A key's last use is written at most this often (one UPDATE per key per minute, not per call).
LAST_USED_EVERY = "1 minute"


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    key_id: str
    version: int
    pool_id: str
    scope: str
    secret_sha256: str
    name: str = ""
    issued_by: str = ""
    issued_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


_COLUMNS = "key_id::text, version, pool_id, scope, secret_sha256, name, issued_by, issued_at, revoked_at, last_used_at"


async def get(conn: Conn, key_id: str) -> ApiKey | None:
    try:
        uuid.UUID(key_id)
    except ValueError:
        return None  # not a key id at all
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM api_keys WHERE key_id = $1::uuid", key_id)
    return ApiKey(**dict(row)) if row else None


async def listed(conn: Conn, pools: list[str] | None) -> list[ApiKey]:
    """The keys of these pools (None: of every pool), newest first."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM api_keys WHERE pool_id <> '' AND ($1::text[] IS NULL OR pool_id = ANY($1))"
        " ORDER BY issued_at DESC",
        pools,
    )
    return [ApiKey(**dict(r)) for r in rows]


async def record_issued(conn: Conn, event: ApiKeyIssued, issued_by: str = "") -> None:
    await conn.execute(
        "INSERT INTO api_keys (key_id, version, pool_id, scope, secret_sha256, name, issued_by, issued_at)"
        " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (key_id) DO UPDATE SET version = EXCLUDED.version, pool_id = EXCLUDED.pool_id,"
        " scope = EXCLUDED.scope, secret_sha256 = EXCLUDED.secret_sha256, name = EXCLUDED.name"
        " WHERE api_keys.version < EXCLUDED.version",
        event.key_id,
        event.version,
        event.pool_id,
        event.scope,
        event.secret_sha256,
        event.name,
        issued_by,
        event.occurred_at,
    )


async def record_revoked(conn: Conn, event: ApiKeyRevoked) -> None:
    """Revoked from now on; a revocation that arrives before its key leaves a revoked row
    (no secret), so the late issue is stale and never makes the key usable."""
    await conn.execute(
        "INSERT INTO api_keys (key_id, version, pool_id, scope, secret_sha256, revoked_at)"
        " VALUES ($1::uuid, $2, '', 'read', '', $3)"
        " ON CONFLICT (key_id) DO UPDATE SET version = EXCLUDED.version,"
        " revoked_at = coalesce(api_keys.revoked_at, EXCLUDED.revoked_at)"
        " WHERE api_keys.version < EXCLUDED.version",
        event.key_id,
        event.version,
        event.occurred_at,
    )


async def used(conn: Conn, key_id: str) -> bool:
    """Note a use; True when it was written (the first in LAST_USED_EVERY), to be announced."""
    status = await conn.execute(
        "UPDATE api_keys SET last_used_at = now() WHERE key_id = $1::uuid"
        f" AND (last_used_at IS NULL OR last_used_at < now() - interval '{LAST_USED_EVERY}')",
        key_id,
    )
    return bool(status == "UPDATE 1")


async def record_use(conn: Conn, key_id: str, at: datetime) -> None:
    """A service said the key was used at `at` (the pwa keeps the latest it heard of)."""
    await conn.execute(
        "UPDATE api_keys SET last_used_at = greatest(coalesce(last_used_at, $2), $2) WHERE key_id = $1::uuid",
        key_id,
        at,
    )
