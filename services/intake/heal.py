"""The heal sweep: a request intake still holds as submitted, that routing never answered
(neither offered nor queued it) for `after` seconds, is announced again: RequestSubmitted
with a new event id. Routing handles it once per request: a request it already has is not
routed twice, but its current state is announced again, so intake catches up either way.
Each heal is logged and counted (services.platform.healing). Safe on every replica.
"""

import asyncio
import uuid
from datetime import timedelta

import asyncpg

from services.contracts.intake import RequestSubmitted
from services.intake import changes, store_heal
from services.platform import healing, outbox

BATCH = 100


async def sweep(pool: asyncpg.Pool, *, after: timedelta) -> int:
    """One pass; returns how many requests were announced again."""
    at = changes.now()
    async with pool.acquire() as conn, conn.transaction():
        stale = await store_heal.claim_unrouted(conn, at - after, BATCH)
        for r in stale:
            await outbox.add(
                conn,
                RequestSubmitted(
                    event_id=uuid.uuid4(),
                    occurred_at=r.submitted_at,
                    request_id=r.id,
                    version=r.version,
                    pool_id=r.pool_id,
                    requester_id=r.requester_id,
                    on_behalf_of=r.on_behalf_of,
                    type_id=r.type_id,
                    skill=r.skill,
                    min_level=r.min_level,
                    language=r.language,
                    urgency=r.urgency,
                    pickup_due_at=r.pickup_due_at,
                    done_due_at=r.done_due_at,
                    work_minutes=r.work_minutes,
                ),
            )
            await store_heal.mark_healed(conn, r.id, at)
            healing.record(
                "intake",
                "resubmitted",
                "a request routing never answered was announced again",
                request_id=r.id,
                waited_seconds=round((at - r.submitted_at).total_seconds()),
                heals_before=r.heals,
            )
    return len(stale)


async def run(pool: asyncpg.Pool, *, after: timedelta, every_seconds: float) -> None:
    """The background job, until cancelled."""
    while True:
        while await sweep(pool, after=after) >= BATCH:
            pass
        await asyncio.sleep(every_seconds)
