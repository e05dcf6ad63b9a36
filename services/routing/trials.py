"""Try before adopting: the pool runs a proposed policy on its own last weeks beside the
current one. A trial is stored, then claimed and run by any replica's background loop (the
simulation in a worker thread, progress written as it goes), so a page can poll it and a
replica that stops mid-run hands it over.
"""

import asyncio
import math
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import msgspec
import structlog

from services.contracts.routing_api import PolicyTrial
from services.platform.db import Conn
from services.platform.errors import Invalid
from services.platform.runtime import Runtime
from services.routing import assignment, availability, domain, records, shifts, store_members, store_rota, store_trials
from services.routing.decision import Policy
from services.simulation.compare import compare
from services.simulation.history import PastMember, trace_of
from services.simulation.trace import Trace

log = structlog.get_logger(__name__)


async def start(conn: Conn, pool_id: str, asked_by: str, proposal: PolicyTrial) -> UUID:
    """Store a trial of `proposal` for the pool; a background runner picks it up."""
    current = await assignment.policy_of(conn, pool_id)
    try:
        proposed = domain.apply_change(current, proposal)
    except (ValueError, msgspec.ValidationError) as exc:
        raise Invalid(str(exc)) from exc
    changes = domain.changed_fields(current, proposed)
    if not changes:
        raise Invalid("change at least one setting to try it")
    trial_id = uuid4()
    await store_trials.add(
        conn,
        trial_id=trial_id,
        pool_id=pool_id,
        asked_by=asked_by,
        proposed=msgspec.to_builtins(proposed),
        changes={k: list(v) for k, v in changes.items()},
        weeks=proposal.weeks,
    )
    return trial_id


async def history(conn: Conn, pool_id: str, weeks: int, now: datetime, zone: ZoneInfo) -> Trace:
    """The pool's last `weeks` weeks as a trace, from local midnight that many weeks ago."""
    local = (now - timedelta(weeks=weeks)).astimezone(zone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    days = math.ceil((now - start).total_seconds() / 86400)
    rows = [m for m in await store_members.members_of(conn, pool_id) if m.active]
    away: dict[str, list[shifts.Absence]] = {}
    for a in await store_rota.absences_of(conn, [m.id for m in rows], ending_after=start):
        away.setdefault(a.member_id, []).append(store_rota.as_absence(a))
    members = [
        PastMember(
            id=m.id,
            skills={k: int(v) for k, v in m.skills.items()},
            learning=list(m.learning),
            languages=list(m.languages),
            capacity=m.capacity,
            week=store_rota.decode_week(m.hours),
            absences=away.get(m.id, []),
        )
        for m in rows
    ]
    years = sorted({start.year, now.year, (now + timedelta(days=7)).year})
    holidays = await availability.holiday_days(conn, pool_id, years)
    requests = await store_trials.past_requests(conn, pool_id, start)
    return trace_of(start, days, members, requests, holidays)


async def run_trials(rt: Runtime) -> None:
    """Background loop: claim a waiting trial (or one whose runner went quiet) and run it.
    Not a request: the claim commits at once, and a run (minutes) holds a connection only for
    each short read or report, never across the simulation."""
    while True:
        async with rt.pool.acquire() as conn, conn.transaction():
            trial = await store_trials.claim(conn, datetime.now(UTC))
        if trial is None:
            await asyncio.sleep(1.0)
            continue
        await _run(rt, trial)


async def _run(rt: Runtime, trial: records.Trial) -> None:
    async with rt.pool.acquire() as conn:
        trace = await history(conn, trial.pool_id, trial.weeks, datetime.now(UTC), rt.settings.zone)
        current = await assignment.policy_of(conn, trial.pool_id)
    try:
        proposed = msgspec.convert(trial.proposed, Policy)
    except (ValueError, msgspec.ValidationError) as exc:
        async with rt.pool.acquire() as conn:
            await store_trials.finish(conn, trial.id, None, error=str(exc))
        return
    done = [0.0]
    work = asyncio.ensure_future(asyncio.to_thread(compare, trace, current, proposed, lambda x: done.__setitem__(0, x)))
    while not work.done():
        await asyncio.wait({work}, timeout=0.5)
        async with rt.pool.acquire() as conn:
            await store_trials.report(conn, trial.id, min(done[0], 0.99))
    result = work.result()
    async with rt.pool.acquire() as conn:
        await store_trials.finish(conn, trial.id, result)
    log.info("policy trial done", trial=str(trial.id), requests=result.requests)
