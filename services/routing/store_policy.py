"""Routing's SQL about the pool's policy and its visible change history."""

from typing import Any

from services.platform.db import Conn, as_record, as_records
from services.routing import records


async def get_policy(conn: Conn, pool_id: str) -> records.Policy | None:
    row = await conn.fetchrow(
        "SELECT pool_id, policy, version, updated_by, updated_at FROM policies WHERE pool_id = $1", pool_id
    )
    return None if row is None else as_record(records.Policy, row)


async def put_policy(
    conn: Conn,
    pool_id: str,
    policy: dict[str, Any],
    changed_by: str,
    why: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> int:
    """Store the pool's new policy and, in its history, who changed what (field: old → new) and why."""
    version: int = await conn.fetchval(
        """INSERT INTO policies (pool_id, policy, updated_by) VALUES ($1, $2, $3)
           ON CONFLICT (pool_id) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by,
               version = policies.version + 1, updated_at = now()
           RETURNING version""",
        pool_id,
        policy,
        changed_by,
    )
    await conn.execute(
        "INSERT INTO policy_changes (pool_id, policy, changed_by, why, changes) VALUES ($1, $2, $3, $4, $5)",
        pool_id,
        policy,
        changed_by,
        why,
        {k: list(v) for k, v in (changes or {}).items()},
    )
    return version


async def policy_changes(conn: Conn, pool_id: str, limit: int = 50) -> list[records.PolicyChange]:
    rows = await conn.fetch(
        "SELECT at, changed_by, why, policy, changes FROM policy_changes WHERE pool_id = $1 ORDER BY id DESC LIMIT $2",
        pool_id,
        limit,
    )
    return as_records(records.PolicyChange, rows)
