"""SQL for privacy in routing: what routing holds about a member (for their data download), and
what goes when their account is erased (name and the reasons written about their skills)."""

from services.contracts.routing_api import HeldAbsence, HeldMember, HeldProposal
from services.platform.db import Conn, as_record, as_records


async def member(conn: Conn, account_id: str) -> HeldMember | None:
    row = await conn.fetchrow(
        "SELECT pool_id, skills, learning, languages, capacity, presence, hours FROM members WHERE id = $1",
        account_id,
    )
    return None if row is None else as_record(HeldMember, row)


async def absences(conn: Conn, account_id: str) -> list[HeldAbsence]:
    rows = await conn.fetch(
        "SELECT starts_at, ends_at FROM absences WHERE member_id = $1 ORDER BY starts_at", account_id
    )
    return as_records(HeldAbsence, rows)


async def proposals(conn: Conn, account_id: str) -> list[HeldProposal]:
    rows = await conn.fetch(
        "SELECT skill, level, why, status FROM skill_proposals WHERE member_id = $1 ORDER BY skill", account_id
    )
    return as_records(HeldProposal, rows)


async def erase(conn: Conn, account_id: str) -> None:
    """The member's name and what was written about them go; they leave the pool's routing."""
    await conn.execute("UPDATE members SET name = '', active = false WHERE id = $1", account_id)
    await conn.execute("UPDATE skill_proposals SET why = '' WHERE member_id = $1 OR proposed_by = $1", account_id)
