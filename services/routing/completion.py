"""A request leaves routing: done (the member's experience grows) or cancelled. Either way
its live offer ends, the member's capacity is freed and the pool queue moves up."""

from zoneinfo import ZoneInfo

from services.platform.db import Conn
from services.routing import assignment, members, store, store_members


async def finish(conn: Conn, request_id: str, *, state: str, zone: ZoneInfo) -> None:
    req = await store.lock_request(conn, request_id)
    if req is None or req.state in ("done", "cancelled"):
        return
    offer = await store.live_offer(conn, request_id)
    if offer is not None:
        await store.answer_offer(conn, offer.id, "done" if state == "done" else "withdrawn")
        await store_members.free_capacity(conn, offer.member_id)
        if state == "done":
            await members.record_completion(conn, offer.member_id, req.requester_id, req.skill)
    await store.set_request_state(conn, request_id, state)
    await assignment.drain_queue(conn, req.pool_id, zone=zone)
