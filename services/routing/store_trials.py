"""Routing's SQL about policy trials (try before adopting) and the pool history they replay.
Returns Structs."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec

from services.contracts.routing_api import Comparison
from services.platform.db import Conn
from services.simulation import compare
from services.simulation.history import PastRequest

# A running trial whose runner has not said anything for this long is taken over by another.
QUIET = timedelta(seconds=60)


class Trial(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pool_id: str
    asked_by: str
    proposed: dict[str, Any]
    changes: dict[str, list[Any]]
    weeks: int
    status: str
    progress: float
    result: Comparison | None
    error: str
    created_at: datetime


_COLUMNS = (
    "id, pool_id, asked_by, proposed::text, changes::text, weeks, status, progress, result::text, error, created_at"
)


def _trial(r: Any) -> Trial:
    return Trial(
        id=r["id"],
        pool_id=r["pool_id"],
        asked_by=r["asked_by"],
        proposed=msgspec.json.decode(r["proposed"]),
        changes=msgspec.json.decode(r["changes"]),
        weeks=r["weeks"],
        status=r["status"],
        progress=float(r["progress"]),
        result=None if r["result"] is None else msgspec.json.decode(r["result"], type=Comparison),
        error=r["error"],
        created_at=r["created_at"],
    )


async def add(
    conn: Conn,
    *,
    trial_id: UUID,
    pool_id: str,
    asked_by: str,
    proposed: dict[str, Any],
    changes: dict[str, Any],
    weeks: int,
) -> None:
    await conn.execute(
        "INSERT INTO policy_trials (id, pool_id, asked_by, proposed, changes, weeks) VALUES ($1, $2, $3, $4, $5, $6)",
        trial_id,
        pool_id,
        asked_by,
        msgspec.json.encode(proposed).decode(),
        msgspec.json.encode(changes).decode(),
        weeks,
    )


async def get(conn: Conn, trial_id: UUID) -> Trial | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM policy_trials WHERE id = $1", trial_id)
    return None if row is None else _trial(row)


async def claim(conn: Conn, now: datetime) -> Trial | None:
    """The oldest waiting trial, or a running one whose runner went quiet: now this runner's."""
    row = await conn.fetchrow(
        f"""UPDATE policy_trials SET status = 'running', heartbeat_at = $1, progress = 0
            WHERE id = (SELECT id FROM policy_trials
                        WHERE status = 'waiting' OR (status = 'running' AND heartbeat_at < $2)
                        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {_COLUMNS}""",
        now,
        now - QUIET,
    )
    return None if row is None else _trial(row)


async def report(conn: Conn, trial_id: UUID, progress: float) -> None:
    await conn.execute(
        "UPDATE policy_trials SET progress = $2, heartbeat_at = now() WHERE id = $1 AND status = 'running'",
        trial_id,
        progress,
    )


async def finish(conn: Conn, trial_id: UUID, result: compare.Comparison | None, error: str = "") -> None:
    await conn.execute(
        "UPDATE policy_trials SET status = $2, progress = 1, result = $3::jsonb, error = $4, heartbeat_at = now()"
        " WHERE id = $1",
        trial_id,
        "done" if result is not None else "failed",
        None if result is None else msgspec.json.encode(result).decode(),
        error,
    )


async def past_requests(conn: Conn, pool_id: str, since: datetime) -> list[PastRequest]:
    """The pool's requests that came in since `since` (whatever became of them)."""
    rows = await conn.fetch(
        """SELECT request_id, submitted_at, requester_id, skill, min_level, language, urgency, done_due_at,
               work_minutes::float AS work_minutes
           FROM requests WHERE pool_id = $1 AND submitted_at >= $2 ORDER BY submitted_at""",
        pool_id,
        since,
    )
    return [
        PastRequest(
            id=r["request_id"],
            submitted_at=r["submitted_at"],
            requester=r["requester_id"],
            skill=r["skill"],
            min_level=r["min_level"],
            language=r["language"],
            urgency=r["urgency"],
            done_due_at=r["done_due_at"],
            work_minutes=r["work_minutes"],
        )
        for r in rows
    ]
