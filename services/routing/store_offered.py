"""Routing's SQL for a decision that found someone: the decision, the offer and the request's
new state (offered, or assigned at once) in one statement, the busiest write of a request's
journey. Reads and other writes of offers and decisions: store.py."""

from datetime import datetime
from uuid import UUID

from services.platform.db import Conn
from services.routing.decision import Decision
from services.routing.store import INSERT_DECISION, decision_values


async def offer_made(
    conn: Conn,
    decision: Decision,
    *,
    request_id: str,
    pool_id: str,
    offer_id: UUID,
    status: str,
    state: str,
    since: datetime,
    until: datetime,
) -> int:
    """Record the decision (codes and counts only: never a score per person, never who declined),
    the offer (with its request's pool, skill and work estimate, what later decisions read) and
    the request's state with the pick-up it means for the requester, "now" until the offer
    expires. No longer the lead's: should it come back, the lead hears of it again. Returns
    routing's new version for the request."""
    assert decision.member_id is not None
    version: int = await conn.fetchval(
        f"""WITH decided AS ({INSERT_DECISION}), offered AS (
               INSERT INTO offers (id, request_id, member_id, status, development, buddy_id, expires_at,
                   pool_id, skill, work_minutes)
               SELECT $9, $1, $3, $10, $4, $5, $13, r.pool_id, r.skill, r.work_minutes
               FROM requests r WHERE r.request_id = $1
           )
           UPDATE requests SET state = $11, version = version + 1, lead_queue = false, queued_at = NULL,
               pickup_basis = 'now', pickup_earliest = $12, pickup_latest = $13, pickup_announced_at = now()
           WHERE request_id = $1 RETURNING version""",
        *decision_values(request_id, pool_id, decision),
        offer_id,
        status,
        state,
        since,
        until,
    )
    return version
