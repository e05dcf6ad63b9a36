"""SQL for privacy in routing: what routing holds about a member (for their data download), and
what goes when their account is erased (name and the reasons written about their skills)."""

import msgspec

from services.contracts.routing_api import HeldAbsence, HeldMember, HeldProposal
from services.platform.db import Conn


async def member(conn: Conn, account_id: str) -> HeldMember | None:
    row = await conn.fetchrow(
        "SELECT pool_id, skills::text, learning, languages, capacity, presence, hours::text FROM members WHERE id = $1",
        account_id,
    )
    if row is None:
        return None
    return HeldMember(
        pool_id=row["pool_id"],
        skills=msgspec.json.decode(row["skills"]),
        learning=list(row["learning"]),
        languages=list(row["languages"]),
        capacity=row["capacity"],
        presence=row["presence"],
        hours=msgspec.json.decode(row["hours"]),
    )


async def absences(conn: Conn, account_id: str) -> list[HeldAbsence]:
    rows = await conn.fetch(
        "SELECT starts_at, ends_at FROM absences WHERE member_id = $1 ORDER BY starts_at", account_id
    )
    return [HeldAbsence(starts_at=r["starts_at"], ends_at=r["ends_at"]) for r in rows]


async def proposals(conn: Conn, account_id: str) -> list[HeldProposal]:
    rows = await conn.fetch(
        "SELECT skill, level, why, status FROM skill_proposals WHERE member_id = $1 ORDER BY skill", account_id
    )
    return [HeldProposal(skill=r["skill"], level=r["level"], why=r["why"], status=r["status"]) for r in rows]


async def erase(conn: Conn, account_id: str) -> None:
    """The member's name and what was written about them go; they leave the pool's routing."""
    await conn.execute("UPDATE members SET name = '', active = false WHERE id = $1", account_id)
    await conn.execute("UPDATE skill_proposals SET why = '' WHERE member_id = $1 OR proposed_by = $1", account_id)
