"""SQL of the heal sweep: submitted requests routing never answered."""

from datetime import datetime

from services.intake.records import Unrouted
from services.platform.db import Conn, as_records


async def claim_unrouted(conn: Conn, before: datetime, limit: int) -> list[Unrouted]:
    """Requests submitted (or last re-announced) before `before` that routing never answered,
    locked for this transaction; another replica's sweep skips them."""
    rows = await conn.fetch(
        """SELECT r.id::text AS id, r.version, r.pool_id, r.requester_id, r.on_behalf_of, r.type_id, t.skill,
                  t.min_level, r.language, r.urgency, r.submitted_at, r.pickup_due_at, r.done_due_at,
                  t.work_minutes, r.heals
             FROM requests r JOIN request_types t ON t.id = r.type_id
            WHERE r.status = 'submitted' AND r.routing_version = 0 AND r.submitted_at < $1
              AND (r.healed_at IS NULL OR r.healed_at < $1)
            ORDER BY r.submitted_at LIMIT $2
              FOR UPDATE OF r SKIP LOCKED""",
        before,
        limit,
    )
    return as_records(Unrouted, rows)


async def mark_healed(conn: Conn, request_id: str, at: datetime) -> None:
    await conn.execute("UPDATE requests SET healed_at = $2, heals = heals + 1 WHERE id = $1::uuid", request_id, at)


async def note_routed(conn: Conn, request_id: str, routing_version: int) -> None:
    """Routing answered (e.g. queued the request): intake knows it was seen."""
    await conn.execute(
        "UPDATE requests SET routing_version = $2 WHERE id = $1::uuid AND routing_version < $2",
        request_id,
        routing_version,
    )
