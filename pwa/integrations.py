"""Integrations' API keys (the service layer): issuing and revoking a key writes the pwa's own
row, its identity event (every service keeps a copy of the keys from these) and its audit line
in the caller's one transaction. The whole key is returned once and never kept: only the
secret's SHA-256 is (services.platform.api_keys says why that is enough).

Who keeps a pool's keys: admins for every pool, a lead for the pools they lead. Each service
says when a key was used there (at most once a minute); the pwa keeps the latest."""

import uuid
from datetime import UTC, datetime
from typing import Any

from pwa import audit
from pwa.records import Account
from services.contracts import intake, recognition, routing
from services.contracts.identity import ApiKeyIssued, ApiKeyRevoked
from services.platform import api_key_store, api_keys, outbox
from services.platform.api_key_store import ApiKey
from services.platform.db import Conn
from services.platform.inbox import Consumer
from services.platform.runtime import Runtime

NAME_MAX = 80


def kept_pools(account: Account) -> tuple[str, ...] | None:
    """The pools whose keys this person keeps: None for every pool (admins), () for none."""
    if account.has("admin"):
        return None
    return tuple(account.pools) if account.has("lead") else ()


def keeps(account: Account, pool_id: str) -> bool:
    pools = kept_pools(account)
    return pools is None or pool_id in pools


async def issue(conn: Conn, *, name: str, pool_id: str, scope: str, by: str, ip: str | None = None) -> str:
    """A new key for `pool_id`; returns the whole key, to be shown once."""
    key_id, whole = api_keys.new_key()
    event = ApiKeyIssued(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        key_id=key_id,
        version=1,
        pool_id=pool_id,
        scope="write" if scope == api_keys.WRITE else "read",
        secret_sha256=api_keys.secret_hash(whole),
        name=name,
    )
    await api_key_store.record_issued(conn, event, issued_by=by)
    await outbox.add(conn, event)
    detail = {"key_id": key_id, "pool_id": pool_id, "scope": scope, "name": name}
    await audit.record(conn, "api_key.issued", actor_id=by, subject_id=key_id, detail=detail, ip=ip)
    return whole


async def revoke(conn: Conn, key: ApiKey, *, by: str, ip: str | None = None) -> None:
    """Refused by every service from the moment it handles the event; revoking twice is once."""
    if key.revoked:
        return
    event = ApiKeyRevoked(
        event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), key_id=key.key_id, version=key.version + 1
    )
    await api_key_store.record_revoked(conn, event)
    await outbox.add(conn, event)
    detail = {"key_id": key.key_id, "pool_id": key.pool_id, "name": key.name}
    await audit.record(conn, "api_key.revoked", actor_id=by, subject_id=key.key_id, detail=detail, ip=ip)


KeyUsed = intake.ApiKeyUsed | routing.ApiKeyUsed | recognition.ApiKeyUsed
USED_SUBJECTS = {
    "INTAKE": ["secpool.intake.api_key.used"],
    "ROUTING": ["secpool.routing.api_key.used"],
    "RECOGNITION": ["secpool.recognition.api_key.used"],
}


async def on_key_used(conn: Conn, event: KeyUsed) -> None:
    await api_key_store.record_use(conn, event.key_id, event.occurred_at)


def consumers(rt: Runtime) -> list[Consumer[Any]]:
    return [
        rt.consumer(f"pwa-api-keys-{stream.lower()}", stream, subjects, KeyUsed, on_key_used)
        for stream, subjects in USED_SUBJECTS.items()
    ]
