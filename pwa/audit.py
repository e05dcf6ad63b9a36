"""The audit log: one line per thing an admin may need to trace later (sign-ins, role and pool
changes, disabling people, policy and type changes, moderation), written in the caller's
transaction so a change and its record stand or fall together."""

from typing import Any

from pwa.records import AuditEntry
from services.platform.db import Conn, as_records


async def record(
    conn: Conn,
    action: str,
    *,
    actor_id: str | None,
    subject_id: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO audit_log (actor_id, action, subject_id, detail, ip) VALUES ($1, $2, $3, $4, $5)",
        actor_id,
        action,
        subject_id,
        detail or {},
        ip,
    )


async def record_many(
    conn: Conn, action: str, *, actor_id: str | None, entries: list[tuple[str, dict[str, Any]]], ip: str | None = None
) -> None:
    """One line per (subject id, detail) in one statement (a bulk import)."""
    await conn.executemany(
        "INSERT INTO audit_log (actor_id, action, subject_id, detail, ip) VALUES ($1, $2, $3, $4, $5)",
        [(actor_id, action, subject, detail, ip) for subject, detail in entries],
    )


async def recent(
    conn: Conn, *, limit: int = 100, before_id: int | None = None, subject_id: str | None = None
) -> list[AuditEntry]:
    """Newest first; `before_id` pages back, `subject_id` narrows to one person or thing."""
    rows = await conn.fetch(
        """SELECT id, at, actor_id, action, subject_id, detail, ip FROM audit_log
           WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR subject_id = $2)
           ORDER BY id DESC LIMIT $3""",
        before_id,
        subject_id,
        limit,
    )
    return as_records(AuditEntry, rows)
