"""Routing's SQL: members, routed requests, offers, decisions, policies. Only SQL here.

Capacity is guarded by a conditional update (`open_count < capacity`) and a request's
single live offer by a partial unique index, so replicas never need SERIALIZABLE.
"""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.platform.db import Conn

Record = asyncpg.Record


async def upsert_member(conn: Conn, m: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO members (id, pool_id, name, skills, learning, languages, capacity, presence, shifts)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9::jsonb)
           ON CONFLICT (id) DO UPDATE SET pool_id = EXCLUDED.pool_id, name = EXCLUDED.name,
               skills = EXCLUDED.skills, learning = EXCLUDED.learning, languages = EXCLUDED.languages,
               capacity = EXCLUDED.capacity, shifts = EXCLUDED.shifts, updated_at = now()""",
        m["id"], m["pool_id"], m["name"], json.dumps(m["skills"]), m.get("learning", []),
        m.get("languages", ["nl"]), m["capacity"], m.get("presence", "available"),
        json.dumps(m.get("shifts", [])),
    )  # fmt: skip


async def count_members(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM members"))


async def members_of(conn: Conn, pool_id: str) -> list[Record]:
    return await conn.fetch("SELECT * FROM members WHERE pool_id = $1 ORDER BY id", pool_id)


async def member(conn: Conn, member_id: str) -> Record | None:
    return await conn.fetchrow("SELECT * FROM members WHERE id = $1", member_id)


async def take_capacity(conn: Conn, member_id: str) -> bool:
    """Claim one slot of the member's capacity, only if they are available and not full."""
    row = await conn.fetchval(
        "UPDATE members SET open_count = open_count + 1 WHERE id = $1"
        " AND open_count < capacity AND presence = 'available' RETURNING true",
        member_id,
    )
    return bool(row)


async def free_capacity(conn: Conn, member_id: str) -> None:
    await conn.execute("UPDATE members SET open_count = greatest(open_count - 1, 0) WHERE id = $1", member_id)


async def set_presence(conn: Conn, member_id: str, presence: str) -> Record | None:
    return await conn.fetchrow(
        "UPDATE members SET presence = $2, updated_at = now() WHERE id = $1 RETURNING *",
        member_id,
        presence,
    )


async def insert_request(conn: Conn, r: dict[str, Any]) -> bool:
    inserted = await conn.fetchval(
        """INSERT INTO requests (request_id, pool_id, requester_id, skill, min_level, language, urgency,
               work_minutes, submitted_at, pickup_due_at, done_due_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING RETURNING true""",
        r["request_id"], r["pool_id"], r["requester_id"], r["skill"], r["min_level"], r["language"],
        r["urgency"], r["work_minutes"], r["submitted_at"], r["pickup_due_at"], r["done_due_at"],
    )  # fmt: skip
    return bool(inserted)


async def lock_request(conn: Conn, request_id: str) -> Record | None:
    return await conn.fetchrow("SELECT * FROM requests WHERE request_id = $1 FOR UPDATE", request_id)


async def set_request_state(conn: Conn, request_id: str, state: str, *, lead_queue: bool | None = None) -> int:
    """Set the routed request's state; returns routing's new version for it."""
    version: int = await conn.fetchval(
        """UPDATE requests SET state = $2, version = version + 1,
               lead_queue = coalesce($3, lead_queue),
               queued_at = CASE WHEN $2 = 'waiting' THEN coalesce(queued_at, now()) ELSE NULL END
           WHERE request_id = $1 RETURNING version""",
        request_id,
        state,
        lead_queue,
    )
    return version


async def waiting_requests(conn: Conn, pool_id: str, limit: int = 50) -> list[Record]:
    """The pool queue, most urgent first, then oldest; skips rows another replica is routing."""
    return await conn.fetch(
        """SELECT request_id FROM requests WHERE pool_id = $1 AND state = 'waiting'
           ORDER BY CASE urgency WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, submitted_at
           LIMIT $2""",
        pool_id,
        limit,
    )


async def refused_members(conn: Conn, request_id: str) -> set[str]:
    rows = await conn.fetch(
        "SELECT member_id FROM offers WHERE request_id = $1 AND status IN ('declined', 'expired', 'withdrawn')",
        request_id,
    )
    return {r["member_id"] for r in rows}


async def insert_offer(
    conn: Conn, *, offer_id: UUID, request_id: str, member_id: str, status: str,
    development: bool, buddy_id: str | None, expires_at: datetime,
) -> None:  # fmt: skip
    await conn.execute(
        "INSERT INTO offers (id, request_id, member_id, status, development, buddy_id, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        offer_id, request_id, member_id, status, development, buddy_id, expires_at,
    )  # fmt: skip


async def lock_offer(conn: Conn, offer_id: UUID) -> Record | None:
    return await conn.fetchrow("SELECT * FROM offers WHERE id = $1 FOR UPDATE", offer_id)


async def live_offer(conn: Conn, request_id: str) -> Record | None:
    return await conn.fetchrow(
        "SELECT * FROM offers WHERE request_id = $1 AND status IN ('open', 'accepted') FOR UPDATE",
        request_id,
    )


async def answer_offer(conn: Conn, offer_id: UUID, status: str, reason: str = "") -> None:
    await conn.execute(
        "UPDATE offers SET status = $2, reason = $3, answered_at = now() WHERE id = $1",
        offer_id,
        status,
        reason,
    )


async def expired_offers(conn: Conn, now: datetime, limit: int = 50) -> list[Record]:
    return await conn.fetch(
        "SELECT * FROM offers WHERE status = 'open' AND expires_at <= $1"
        " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        now,
        limit,
    )


async def open_offers_of(conn: Conn, member_id: str) -> list[Record]:
    return await conn.fetch(
        "SELECT * FROM offers WHERE member_id = $1 AND status = 'open' ORDER BY created_at FOR UPDATE",
        member_id,
    )


async def offers_for_member(conn: Conn, member_id: str) -> list[Record]:
    return await conn.fetch(
        """SELECT o.*, r.skill, r.urgency, r.pickup_due_at, r.done_due_at FROM offers o
           JOIN requests r USING (request_id)
           WHERE o.member_id = $1 AND o.status IN ('open', 'accepted') ORDER BY o.created_at""",
        member_id,
    )


async def development_share(conn: Conn, pool_id: str, window: int = 100) -> float:
    """Share of the pool's recent assignments that were development assignments."""
    share = await conn.fetchval(
        """SELECT coalesce(avg(CASE WHEN d.development THEN 1.0 ELSE 0.0 END), 0) FROM (
               SELECT development FROM decisions WHERE member_id IS NOT NULL
               AND request_id IN (SELECT request_id FROM requests WHERE pool_id = $1)
               ORDER BY id DESC LIMIT $2) d""",
        pool_id,
        window,
    )
    return float(share)


async def record_decision(conn: Conn, request_id: str, decision: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO decisions (request_id, member_id, development, buddy_id, why, candidates)"
        " VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
        request_id, decision["member_id"], decision["development"], decision["buddy_id"],
        decision["why"], json.dumps(decision["candidates"]),
    )  # fmt: skip


async def decisions_for(conn: Conn, request_id: str) -> list[Record]:
    return await conn.fetch("SELECT * FROM decisions WHERE request_id = $1 ORDER BY id", request_id)


async def served_requester(conn: Conn, requester_id: str) -> set[str]:
    rows = await conn.fetch("SELECT member_id FROM served WHERE requester_id = $1", requester_id)
    return {r["member_id"] for r in rows}


async def busy_minutes_today(conn: Conn, pool_id: str) -> dict[str, float]:
    """Minutes of work each member took on today (assigned work's estimate), for fairness."""
    rows = await conn.fetch(
        """SELECT o.member_id, sum(r.work_minutes)::float AS minutes FROM offers o
           JOIN requests r USING (request_id)
           WHERE r.pool_id = $1 AND o.status IN ('accepted', 'done') AND o.created_at >= date_trunc('day', now())
           GROUP BY o.member_id""",
        pool_id,
    )
    return {r["member_id"]: r["minutes"] for r in rows}


async def get_policy(conn: Conn, pool_id: str) -> Record | None:
    return await conn.fetchrow("SELECT * FROM policies WHERE pool_id = $1", pool_id)


async def put_policy(conn: Conn, pool_id: str, policy: dict[str, Any], changed_by: str, why: str) -> int:
    version: int = await conn.fetchval(
        """INSERT INTO policies (pool_id, policy, updated_by) VALUES ($1, $2::jsonb, $3)
           ON CONFLICT (pool_id) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by,
               version = policies.version + 1, updated_at = now()
           RETURNING version""",
        pool_id,
        json.dumps(policy),
        changed_by,
    )
    await conn.execute(
        "INSERT INTO policy_changes (pool_id, policy, changed_by, why) VALUES ($1, $2::jsonb, $3, $4)",
        pool_id,
        json.dumps(policy),
        changed_by,
        why,
    )
    return version


async def record_service(conn: Conn, member_id: str, requester_id: str, skill: str) -> None:
    """Completed work: continuity (who served whom) and experience in the skill."""
    await conn.execute(
        """INSERT INTO served (member_id, requester_id, times) VALUES ($1, $2, 1)
           ON CONFLICT (member_id, requester_id) DO UPDATE SET times = served.times + 1, last_at = now()""",
        member_id,
        requester_id,
    )
    await conn.execute(
        """UPDATE members SET experience = jsonb_set(experience, ARRAY[$2::text],
               to_jsonb(coalesce((experience ->> $2)::int, 0) + 1)) WHERE id = $1""",
        member_id,
        skill,
    )
