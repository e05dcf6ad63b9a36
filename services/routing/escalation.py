"""When the pool cannot take a request: the lead's queue. A request that waited too long,
or whose service level intake reports at risk, goes to the lead (with an event the pwa turns
into a notification); the lead may then offer it to a member of their choice. (A request
nobody can take at all goes there at once: see announce.nobody_now.)"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from services.contracts.intake import SlaAtRisk
from services.contracts.routing import Reason
from services.platform.db import Conn
from services.platform.errors import Conflict, Forbidden, NotFound
from services.platform.tokens import Caller
from services.routing import announce, assignment, domain, store


async def escalate_waiting(conn: Conn, now: datetime | None = None) -> int:
    """Move long-waiting requests to the lead's queue; safe on every replica (SKIP LOCKED)."""
    at = now or datetime.now(UTC)
    moved = 0
    for req in await store.due_for_lead(conn, at - domain.LEAD_QUEUE_AFTER):
        if domain.goes_to_lead(req.queued_at, at, sla_at_risk=req.sla_at_risk):
            waited = (at - req.queued_at).total_seconds() / 60 if req.queued_at else None
            await announce.to_lead(conn, req.request_id, [Reason(code="waited_long", minutes=waited)])
            moved += 1
    return moved


async def on_sla_at_risk(conn: Conn, event: SlaAtRisk) -> None:
    """Intake warns that a service level is at risk: a waiting request goes to the lead now;
    an offered one is remembered, so it escalates at once if it comes back unanswered."""
    req = await store.lock_request(conn, event.request_id)
    if req is None:
        return
    await store.mark_sla_at_risk(conn, event.request_id)
    if req.state == "waiting" and not req.lead_queue:
        await announce.to_lead(conn, event.request_id, [Reason(code=f"sla_{event.level}_at_risk")])


async def assign_by_lead(conn: Conn, caller: Caller, request_id: str, member_id: str, *, zone: ZoneInfo) -> None:
    """The lead offers a waiting request to a member they choose (hard constraints still hold)."""
    req = await store.lock_request(conn, request_id)
    if req is None:
        raise NotFound("routing has no such request")
    if not (caller.has("lead") and caller.in_pool(req.pool_id)):
        raise Forbidden("only the pool's lead assigns from the lead's queue")
    if req.state != "waiting":
        raise Conflict(f"the request is not waiting (it is {req.state})")
    decision = await assignment.route(conn, request_id, only=member_id, zone=zone)
    if decision is None or decision.member_id is None:
        blocked = ", ".join(sorted(decision.others)) if decision else "not waiting"
        raise Conflict(f"that member cannot take it now ({blocked})")
