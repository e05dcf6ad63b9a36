"""Routing's SQL about policy trials (try before adopting) and the pool history they replay.
Returns Structs."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from services.contracts.routing_api import Comparison
from services.platform.db import Conn, as_record, as_records
from services.routing import records
from services.routing.records import TRIAL_COLUMNS
from services.simulation import compare
from services.simulation.history import PastRequest

# A running trial whose runner has not said anything for this long is taken over by another.
QUIET = timedelta(seconds=60)


def _trial(row: asyncpg.Record) -> records.Trial:
    found = as_record(records.Trial, row)
    result = None if found.result is None else msgspec.convert(found.result, Comparison)
    return msgspec.structs.replace(found, result=result)


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
        proposed,
        changes,
        weeks,
    )


async def get(conn: Conn, trial_id: UUID) -> records.Trial | None:
    row = await conn.fetchrow(f"SELECT {TRIAL_COLUMNS} FROM policy_trials WHERE id = $1", trial_id)
    return None if row is None else _trial(row)


async def claim(conn: Conn, now: datetime) -> records.Trial | None:
    """The oldest waiting trial, or a running one whose runner went quiet: now this runner's."""
    row = await conn.fetchrow(
        f"""UPDATE policy_trials SET status = 'running', heartbeat_at = $1, progress = 0
            WHERE id = (SELECT id FROM policy_trials
                        WHERE status = 'waiting' OR (status = 'running' AND heartbeat_at < $2)
                        ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {TRIAL_COLUMNS}""",
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
        "UPDATE policy_trials SET status = $2, progress = 1, result = $3, error = $4, heartbeat_at = now()"
        " WHERE id = $1",
        trial_id,
        "done" if result is not None else "failed",
        result,
        error,
    )


async def past_requests(conn: Conn, pool_id: str, since: datetime) -> list[PastRequest]:
    """The pool's requests that came in since `since` (whatever became of them)."""
    rows = await conn.fetch(
        """SELECT request_id AS id, submitted_at, requester_id AS requester, skill, min_level, language, urgency,
               done_due_at, work_minutes::float AS work_minutes
           FROM requests WHERE pool_id = $1 AND submitted_at >= $2 ORDER BY submitted_at""",
        pool_id,
        since,
    )
    return as_records(PastRequest, rows)
