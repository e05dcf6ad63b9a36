"""Routing's composition root: `create_app` wires routes, the intake consumer and the
loop that expires offers and escalates the queue. Run: `uvicorn --factory services.routing.app:create_app`.
"""

import asyncio

import asyncpg
import structlog
from litestar import Litestar

from services.demo import organisation
from services.platform.runtime import Runtime, service_app
from services.platform.settings import Settings
from services.routing import (
    api,
    api_growth,
    api_pools,
    api_rota,
    api_trials,
    assignment,
    escalation,
    handlers,
    privacy,
    records,
    shifts,
    store_members,
    trials,
)

log = structlog.get_logger(__name__)


async def load_demo(rt: Runtime) -> None:
    """First start with SECPOOL_DEMO=1: the demo pool's members. They work around the clock
    (and the demo pool follows no holiday calendar), so the demo works whenever it is tried."""
    if not rt.settings.demo:
        return
    # At start, not in a request: its own connection and transaction.
    async with rt.pool.acquire() as conn, conn.transaction():
        if await store_members.count_members(conn) > 0:
            return
        for p in organisation().people:
            if p.member is not None:
                member = records.NewMember(id=p.id, pool_id=p.pools[0], name=p.name, hours=shifts.ALWAYS, **p.member)
                await store_members.upsert_member(conn, member)


async def watch_offers_and_queue(rt: Runtime) -> None:
    """Every second: unanswered offers go to the next candidate, long-waiting requests to the
    lead, queues get a drain pass (a safety net: freeing capacity drains at once; a request in
    the lead's queue goes back to routing as soon as someone can take it), and expected
    pick-ups older than a minute are estimated again.
    Safe on every replica: rows are locked or claimed with SKIP LOCKED."""
    while True:
        try:
            # Not a request: each pass its own short transaction, so one step's locks are let go
            # before the next and a failing step does not undo the others.
            async with rt.pool.acquire() as conn, conn.transaction():
                await assignment.expire_offers(conn, zone=rt.settings.zone)
            async with rt.pool.acquire() as conn, conn.transaction():
                await escalation.escalate_waiting(conn)
            async with rt.pool.acquire() as conn, conn.transaction():
                await assignment.drain_all_queues(conn, zone=rt.settings.zone)
            async with rt.pool.acquire() as conn, conn.transaction():
                await assignment.refresh_pickups(conn, zone=rt.settings.zone)
        except (asyncpg.PostgresError, OSError) as exc:
            log.warning("offer expiry failed; retrying", error=str(exc))
        await asyncio.sleep(1.0)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env("routing")
    return service_app(
        settings=settings,
        schema="routing",
        package="services.routing",
        title="secpool routing",
        route_handlers=[
            api.WorkController,
            api_pools.PoolController,
            api_rota.RotaController,
            api_trials.TrialController,
            api_growth.GrowthController,
            privacy.PrivacyController,
        ],
        consumers=handlers.consumers,
        on_start=load_demo,
        background=[watch_offers_and_queue, trials.run_trials],
        decode_json=True,
    )
