"""Routing's SQL for a decision that found someone: the member's capacity claimed, the
decision, the offer, the request's new state (offered, or assigned at once) and the event
that announces it, in one statement, the busiest write of a request's journey. Reads and
other writes of offers and decisions: store.py."""

from datetime import datetime
from uuid import UUID

from services.contracts.base import Event
from services.platform import outbox
from services.platform.db import Conn
from services.routing.decision import Decision
from services.routing.store import DECISION_INTO, decision_values


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
    announced: Event,
) -> int | None:
    """Claim one slot of the chosen member's capacity, only if they are available and not full
    (a conditional update: two routing replicas can never push a member over it); then record
    the decision (codes and counts only: never a score per person, never who declined), the
    offer (with its request's pool, skill and work estimate, what later decisions read), the
    request's state with the pick-up it means for the requester, "now" until the offer expires,
    and the event `announced` in the outbox. No longer the lead's: should it come back, the
    lead hears of it again. Returns routing's new version for the request; None, and nothing
    written, when the member had no room after all."""
    assert decision.member_id is not None
    version: int | None = await conn.fetchval(
        f"""WITH claimed AS (
               UPDATE members SET open_count = open_count + 1
               WHERE id = $3 AND open_count < capacity AND presence = 'available' AND active RETURNING id
           ), decided AS (
               {DECISION_INTO} SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM claimed
           ), offered AS (
               INSERT INTO offers (id, request_id, member_id, status, development, buddy_id, expires_at,
                   pool_id, skill, work_minutes)
               SELECT $9, $1, $3, $10, $4, $5, $13, r.pool_id, r.skill, r.work_minutes
               FROM requests r, claimed WHERE r.request_id = $1
           ), announced AS (
               {outbox.INSERT_INTO} SELECT $14, $15, $16 FROM claimed
           )
           UPDATE requests SET state = $11, version = version + 1, lead_queue = false, queued_at = NULL,
               pickup_basis = 'now', pickup_earliest = $12, pickup_latest = $13, pickup_announced_at = now()
           WHERE request_id = $1 AND EXISTS (SELECT 1 FROM claimed) RETURNING version""",
        *decision_values(request_id, pool_id, decision),
        offer_id,
        status,
        state,
        since,
        until,
        *outbox.row(announced),
    )
    return version
