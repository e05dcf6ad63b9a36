"""Service levels watched: a request entering the last part of its pick-up or completion
window emits SlaAtRisk (routing escalates, the lead is told); one past it records the breach
and emits SlaBreached. Each fires once per request and level, whichever replica sees it first
(store_sla claims rows with FOR UPDATE SKIP LOCKED and a conditional update).
"""

import asyncio
from datetime import datetime
from typing import Literal
from uuid import uuid4

import asyncpg
import structlog

from services.contracts.intake import SlaAtRisk, SlaBreached
from services.intake import changes, store, store_sla
from services.platform import outbox
from services.platform.db import Conn

log = structlog.get_logger(__name__)

LEVELS: tuple[Literal["pickup", "completion"], ...] = ("pickup", "completion")
BATCH = 200


async def check(conn: Conn, *, now: datetime, warning_share: float) -> int:
    """One pass in the caller's transaction; returns how many warnings and breaches fired."""
    fired = 0
    for level in LEVELS:
        for row in await store_sla.claim_at_risk(conn, level, now=now, warning_share=warning_share, limit=BATCH):
            await store.add_timeline(conn, row.id, kind="sla_at_risk", actor_id=None, status=row.status, detail=level)
            await outbox.add(
                conn,
                SlaAtRisk(
                    event_id=uuid4(),
                    occurred_at=now,
                    request_id=str(row.id),
                    version=row.version,
                    pool_id=row.pool_id,
                    level=level,
                    due_at=row.due_at,
                    status=row.status,
                    member_id=row.member_id,
                    urgency=row.urgency,
                ),
            )
            fired += 1
    for level in LEVELS:
        for row in await store_sla.claim_breached(conn, level, now=now, limit=BATCH):
            await store.add_timeline(conn, row.id, kind="sla_breached", actor_id=None, status=row.status, detail=level)
            await outbox.add(
                conn,
                SlaBreached(
                    event_id=uuid4(),
                    occurred_at=now,
                    request_id=str(row.id),
                    version=row.version,
                    pool_id=row.pool_id,
                    level=level,
                    due_at=row.due_at,
                    status=row.status,
                    member_id=row.member_id,
                ),
            )
            fired += 1
    return fired


async def watch(pool: asyncpg.Pool, *, every_seconds: float, warning_share: float) -> None:
    """Check every `every_seconds` until cancelled; a failed pass is logged and retried."""
    while True:
        try:
            async with pool.acquire() as conn, conn.transaction():
                fired = await check(conn, now=changes.now(), warning_share=warning_share)
            if fired >= BATCH:
                continue  # a backlog: go on at once
        except (asyncpg.PostgresError, OSError) as exc:
            log.warning("service-level check failed; retrying", error=str(exc))
        await asyncio.sleep(every_seconds)
