"""Routing's SQL about growth: a member's skill history and the development assignments they
finished (for their own page only), and what the pool asks for per skill (coverage). Returns
Structs."""

from datetime import datetime

from services.contracts.routing_api import DevelopmentDone, LevelChange
from services.platform.db import Conn, as_records


async def level_changes(conn: Conn, member_id: str) -> list[LevelChange]:
    rows = await conn.fetch(
        "SELECT skill, from_level, to_level, source, at FROM skill_history WHERE member_id = $1 ORDER BY at, id",
        member_id,
    )
    return as_records(LevelChange, rows)


async def development_done(conn: Conn, member_id: str, limit: int = 50) -> list[DevelopmentDone]:
    rows = await conn.fetch(
        """SELECT o.request_id, r.skill, o.buddy_id, o.answered_at AS done_at FROM offers o
           JOIN requests r USING (request_id)
           WHERE o.member_id = $1 AND o.development AND o.status = 'done'
           ORDER BY o.answered_at DESC NULLS LAST LIMIT $2""",
        member_id,
        limit,
    )
    return as_records(DevelopmentDone, rows)


async def demand(conn: Conn, pool_id: str, since: datetime) -> dict[str, int]:
    """Requests per skill that came in since `since`."""
    rows = await conn.fetch(
        "SELECT skill, count(*) AS n FROM requests WHERE pool_id = $1 AND submitted_at >= $2 GROUP BY skill",
        pool_id,
        since,
    )
    return {skill: int(n) for skill, n in rows}
