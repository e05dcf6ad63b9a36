"""Routing's SQL about members: profiles, presence, capacity, continuity and experience.

Capacity is claimed with a conditional update (`open_count < capacity`), in the statement
that makes the offer (store_offered.offer_made), so two routing replicas can never push a
member over their capacity.
"""

from uuid import UUID

from services.platform.db import Conn, as_record, as_records
from services.routing import records
from services.routing.records import MEMBER_COLUMNS, PROPOSAL_COLUMNS


async def upsert_member(conn: Conn, m: records.NewMember) -> None:
    """A member with their profile; `hours` is seven lists of [start, end] minutes (none: never on shift)."""
    await conn.execute(
        """INSERT INTO members (id, pool_id, name, skills, learning, languages, capacity, presence, hours)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (id) DO UPDATE SET pool_id = EXCLUDED.pool_id, name = EXCLUDED.name,
               skills = EXCLUDED.skills, learning = EXCLUDED.learning, languages = EXCLUDED.languages,
               capacity = EXCLUDED.capacity, hours = EXCLUDED.hours, updated_at = now()""",
        m.id,
        m.pool_id,
        m.name,
        m.skills,
        m.learning,
        m.languages,
        m.capacity,
        m.presence,
        [list(day) for day in m.hours],
    )


async def join(
    conn: Conn, member_id: str, pool_id: str, name: str, languages: list[str], capacity: int, *, version: int
) -> None:
    """A secretary joins (or rejoins) a pool; a returning member keeps skills, hours and capacity."""
    await conn.execute(
        """INSERT INTO members (id, pool_id, name, skills, languages, capacity, identity_version)
           VALUES ($1, $2, $3, '{}', $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET pool_id = EXCLUDED.pool_id, name = EXCLUDED.name, active = true,
               identity_version = EXCLUDED.identity_version, updated_at = now()""",
        member_id,
        pool_id,
        name,
        languages,
        capacity,
        version,
    )


async def set_identity(conn: Conn, member_id: str, *, version: int, active: bool) -> None:
    await conn.execute(
        "UPDATE members SET identity_version = $2, active = $3, updated_at = now() WHERE id = $1",
        member_id,
        version,
        active,
    )


async def count_members(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM members"))


async def members_of(conn: Conn, pool_id: str) -> list[records.Member]:
    """The pool's current members (not those who left it)."""
    rows = await conn.fetch(f"SELECT {MEMBER_COLUMNS} FROM members WHERE pool_id = $1 AND active ORDER BY id", pool_id)
    return as_records(records.Member, rows)


async def member(conn: Conn, member_id: str) -> records.Member | None:
    row = await conn.fetchrow(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = $1", member_id)
    return None if row is None else as_record(records.Member, row)


async def free_capacity(conn: Conn, member_id: str) -> None:
    await conn.execute("UPDATE members SET open_count = greatest(open_count - 1, 0) WHERE id = $1", member_id)


async def set_presence(conn: Conn, member_id: str, presence: str) -> records.Member | None:
    row = await conn.fetchrow(
        f"UPDATE members SET presence = $2, updated_at = now() WHERE id = $1 RETURNING {MEMBER_COLUMNS}",
        member_id,
        presence,
    )
    return None if row is None else as_record(records.Member, row)


async def set_profile(
    conn: Conn, member_id: str, languages: list[str] | None, capacity: int | None
) -> records.Member | None:
    row = await conn.fetchrow(
        f"""UPDATE members SET languages = coalesce($2, languages), capacity = coalesce($3, capacity),
               updated_at = now() WHERE id = $1 RETURNING {MEMBER_COLUMNS}""",
        member_id,
        languages,
        capacity,
    )
    return None if row is None else as_record(records.Member, row)


async def contenders(conn: Conn, pool_id: str, requester_id: str) -> list[records.Contender]:
    """The pool's current members with what a decision weighs besides their profile: whether
    they served this requester before, and the minutes of work they took on today (the
    estimates of offers made today and accepted or done, one row a member kept by a trigger,
    sql/008). One statement: both are read once (MATERIALIZED) and looked up per member,
    which touches a handful of buffers where a lookup per member into the tables touched
    dozens."""
    rows = await conn.fetch(
        f"""WITH served_by AS MATERIALIZED (SELECT member_id FROM served WHERE requester_id = $2),
                busy AS MATERIALIZED (SELECT member_id, minutes FROM busy_days
                                      WHERE pool_id = $1 AND day = date_trunc('day', now()))
           SELECT {MEMBER_COLUMNS}, id IN (SELECT member_id FROM served_by) AS served_requester,
               coalesce((SELECT busy.minutes FROM busy WHERE busy.member_id = m.id), 0)::float
                   AS busy_minutes_today
           FROM members m WHERE m.pool_id = $1 AND m.active ORDER BY m.id""",
        pool_id,
        requester_id,
    )
    return as_records(records.Contender, rows)


async def record_service(conn: Conn, member_id: str, requester_id: str, skill: str) -> int:
    """Completed work: continuity (who served whom) and experience; returns the member's
    completed count in the skill."""
    await conn.execute(
        """INSERT INTO served (member_id, requester_id, times) VALUES ($1, $2, 1)
           ON CONFLICT (member_id, requester_id) DO UPDATE SET times = served.times + 1, last_at = now()""",
        member_id,
        requester_id,
    )
    done: int = await conn.fetchval(
        """UPDATE members SET experience = jsonb_set(experience, ARRAY[$2::text],
               to_jsonb(coalesce((experience ->> $2)::int, 0) + 1))
           WHERE id = $1 RETURNING (experience ->> $2)::int""",
        member_id,
        skill,
    )
    return done


async def set_skill_level(conn: Conn, member_id: str, skill: str, level: int, source: str = "confirmed") -> None:
    """Set the level and keep the change in the member's skill history (their growth page)."""
    await conn.execute(
        """WITH before AS (SELECT coalesce((skills ->> $2)::int, 0) AS level FROM members WHERE id = $1),
                changed AS (UPDATE members SET skills = jsonb_set(skills, ARRAY[$2::text], to_jsonb($3::int)),
                                updated_at = now() WHERE id = $1 RETURNING id)
           INSERT INTO skill_history (member_id, skill, from_level, to_level, source)
           SELECT $1, $2, before.level, $3, $4 FROM before, changed WHERE before.level <> $3""",
        member_id,
        skill,
        level,
        source,
    )


async def set_learning(conn: Conn, member_id: str, skills: list[str]) -> records.Member | None:
    row = await conn.fetchrow(
        f"UPDATE members SET learning = $2, updated_at = now() WHERE id = $1 RETURNING {MEMBER_COLUMNS}",
        member_id,
        skills,
    )
    return None if row is None else as_record(records.Member, row)


async def propose_skill(conn: Conn, p: records.NewProposal) -> records.Proposal:
    row = await conn.fetchrow(
        f"""INSERT INTO skill_proposals (id, pool_id, member_id, skill, level, proposed_by, why)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {PROPOSAL_COLUMNS}""",
        p.id,
        p.pool_id,
        p.member_id,
        p.skill,
        p.level,
        p.proposed_by,
        p.why,
    )
    assert row is not None
    return as_record(records.Proposal, row)


async def lock_proposal(conn: Conn, proposal_id: UUID) -> records.Proposal | None:
    row = await conn.fetchrow(f"SELECT {PROPOSAL_COLUMNS} FROM skill_proposals WHERE id = $1 FOR UPDATE", proposal_id)
    return None if row is None else as_record(records.Proposal, row)


async def decide_proposal(conn: Conn, proposal_id: UUID, status: str, by: str) -> records.Proposal | None:
    row = await conn.fetchrow(
        "UPDATE skill_proposals SET status = $2, confirmed_by = $3, decided_at = now() WHERE id = $1"
        f" RETURNING {PROPOSAL_COLUMNS}",
        proposal_id,
        status,
        by,
    )
    return None if row is None else as_record(records.Proposal, row)


async def proposals_of(conn: Conn, pool_id: str) -> list[records.Proposal]:
    rows = await conn.fetch(
        f"SELECT {PROPOSAL_COLUMNS} FROM skill_proposals WHERE pool_id = $1 ORDER BY created_at DESC LIMIT 100",
        pool_id,
    )
    return as_records(records.Proposal, rows)


async def has_room(conn: Conn, pool_id: str) -> bool:
    """Whether any available member of the pool could take one more request."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM members WHERE pool_id = $1 AND active AND presence = 'available'"
            " AND open_count < capacity)",
            pool_id,
        )
    )
