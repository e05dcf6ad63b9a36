"""Intake's SQL for service levels: claim requests whose level is at risk or breached.

Each claim is one conditional UPDATE over rows locked with FOR UPDATE SKIP LOCKED, inside the
caller's transaction, so with several replicas each request and level is claimed exactly once.
"""

from datetime import datetime
from typing import Literal

from services.intake import records
from services.platform.db import Conn, as_records

# Which open requests each level watches. The completion clock is paused while a request
# waits on its requester (domain.resumed_done_due), so those are not watched.
WATCHED = {
    "pickup": ("pickup_due_at", "pickup_risk_at", "pickup_breach_at", "('submitted', 'offered')"),
    "completion": ("done_due_at", "done_risk_at", "done_breach_at", "('submitted', 'offered', 'in_progress')"),
}
RETURNING = "RETURNING r.id, r.version, r.pool_id, r.status, r.member_id, r.urgency, r.requester_id"


async def claim_at_risk(
    conn: Conn, level: Literal["pickup", "completion"], *, now: datetime, warning_share: float, limit: int
) -> list[records.SlaClaim]:
    """Mark (and return) requests that entered their level's warning window: the last
    `warning_share` of it, the rule of domain.at_risk_from."""
    due, risk, _, statuses = WATCHED[level]
    rows = await conn.fetch(
        f"""UPDATE requests r SET {risk} = $1, version = r.version + 1
            WHERE r.id IN (
                SELECT id FROM requests
                WHERE status IN {statuses} AND {risk} IS NULL
                  AND {due} - ({due} - submitted_at) * $2::float8 <= $1
                ORDER BY {due} LIMIT $3 FOR UPDATE SKIP LOCKED)
              AND r.{risk} IS NULL
            {RETURNING}, r.{due} AS due_at""",
        now,
        warning_share,
        limit,
    )
    return as_records(records.SlaClaim, rows)


async def claim_breached(
    conn: Conn, level: Literal["pickup", "completion"], *, now: datetime, limit: int
) -> list[records.SlaClaim]:
    """Mark (and return) open requests past their level's due time, not yet recorded.

    Only requests already warned are claimed: a breach is never announced before its warning
    (check() warns first in the same pass), whatever another replica's pass saw in between."""
    due, risk, breach, statuses = WATCHED[level]
    rows = await conn.fetch(
        f"""UPDATE requests r SET {breach} = $1, version = r.version + 1
            WHERE r.id IN (
                SELECT id FROM requests
                WHERE status IN {statuses} AND {breach} IS NULL AND {risk} IS NOT NULL AND {due} <= $1
                ORDER BY {due} LIMIT $2 FOR UPDATE SKIP LOCKED)
              AND r.{breach} IS NULL
            {RETURNING}, r.{due} AS due_at""",
        now,
        limit,
    )
    return as_records(records.SlaClaim, rows)
