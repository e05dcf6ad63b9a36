"""Recognition's SQL for the work behind the thanks: finished requests as intake's events describe them,
thank-you prompts, and pool digests. Only SQL here."""

from datetime import datetime
from uuid import UUID

from services.platform.db import Conn, as_record, as_records
from services.recognition import domain, records


async def record_completion(conn: Conn, c: records.FinishedRequest) -> bool:
    """Store a completion unless a newer version of the request is already stored."""
    status = await conn.execute(
        """INSERT INTO requests (id, pool_id, requester_id, completed_at, on_time, member_id, helper_ids, type_id,
               skill, minutes_saved, version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
           ON CONFLICT (id) DO UPDATE SET pool_id = EXCLUDED.pool_id, completed_at = EXCLUDED.completed_at,
               on_time = EXCLUDED.on_time, member_id = EXCLUDED.member_id, helper_ids = EXCLUDED.helper_ids,
               type_id = EXCLUDED.type_id, skill = EXCLUDED.skill, minutes_saved = EXCLUDED.minutes_saved,
               version = EXCLUDED.version
           WHERE requests.version < EXCLUDED.version""",
        c.id,
        c.pool_id,
        c.requester_id,
        c.completed_at,
        c.on_time,
        c.member_id,
        c.helper_ids,
        c.type_id,
        c.skill,
        c.minutes_saved,
        c.version,
    )
    return status != "INSERT 0 0"


async def finished_request(conn: Conn, request_id: str) -> records.FinishedRequest | None:
    row = await conn.fetchrow("SELECT * FROM requests WHERE id = $1", request_id)
    return as_record(records.FinishedRequest, row) if row is not None else None


async def finished_requests(conn: Conn, request_ids: list[str]) -> dict[str, records.FinishedRequest]:
    rows = await conn.fetch("SELECT * FROM requests WHERE id = ANY($1)", request_ids)
    return {r.id: r for r in as_records(records.FinishedRequest, rows)}


async def insert_prompt(conn: Conn, p: records.NewPrompt) -> bool:
    """False when the request already had a prompt: prompts are never repeated."""
    created = await conn.fetchval(
        """INSERT INTO prompts (id, request_id, pool_id, requester_id, recipient_ids, expires_at)
           VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (request_id) DO NOTHING RETURNING true""",
        p.id,
        p.request_id,
        p.pool_id,
        p.requester_id,
        p.recipient_ids,
        p.expires_at,
    )
    return bool(created)


async def open_prompts(conn: Conn, requester_id: str, now: datetime) -> list[records.OpenPrompt]:
    rows = await conn.fetch(
        """SELECT p.*, r.type_id, r.completed_at FROM prompts p LEFT JOIN requests r ON r.id = p.request_id
           WHERE p.requester_id = $1 AND p.status = 'open' AND p.expires_at > $2 ORDER BY p.created_at DESC""",
        requester_id,
        now,
    )
    return as_records(records.OpenPrompt, rows)


async def get_prompt(conn: Conn, prompt_id: UUID, *, for_update: bool = False) -> records.Prompt | None:
    row = await conn.fetchrow("SELECT * FROM prompts WHERE id = $1" + (" FOR UPDATE" if for_update else ""), prompt_id)
    return as_record(records.Prompt, row) if row is not None else None


async def close_prompt(conn: Conn, prompt_id: UUID, status: str, kudos_id: UUID | None = None) -> None:
    await conn.execute(
        "UPDATE prompts SET status = $2, kudos_id = $3, closed_at = now() WHERE id = $1", prompt_id, status, kudos_id
    )


async def claim_digest(conn: Conn, digest_id: UUID, pool_id: str, start: datetime, end: datetime) -> bool:
    """Claim (pool, period) for this replica; False if another already has it. Holds until commit."""
    claimed = await conn.fetchval(
        """INSERT INTO digests (id, pool_id, period_start, period_end) VALUES ($1, $2, $3, $4)
           ON CONFLICT (pool_id, period_start) DO NOTHING RETURNING true""",
        digest_id,
        pool_id,
        start,
        end,
    )
    return bool(claimed)


async def completions_between(conn: Conn, pool_id: str, start: datetime, end: datetime) -> list[domain.Completion]:
    rows = await conn.fetch(
        """SELECT id AS request_id, minutes_saved, on_time FROM requests
           WHERE pool_id = $1 AND completed_at >= $2 AND completed_at < $3""",
        pool_id,
        start,
        end,
    )
    return as_records(domain.Completion, rows)


async def pool_kudos_between(conn: Conn, pool_id: str, start: datetime, end: datetime) -> list[domain.PoolKudos]:
    """Visible kudos touching the pool in the period, with their reaction counts."""
    rows = await conn.fetch(
        """SELECT k.id::text AS kudos_id, k.created_at, $1 = ANY(k.from_pools) AS given_by_pool, $1 = ANY(k.to_pools) AS received_by_pool,
               (SELECT count(*) FROM reactions r WHERE r.kudos_id = k.id) AS reactions
           FROM kudos k
           WHERE k.pools @> ARRAY[$1::text] AND k.hidden_at IS NULL AND k.created_at >= $2 AND k.created_at < $3""",
        pool_id,
        start,
        end,
    )
    return as_records(domain.PoolKudos, rows)


async def save_figures(conn: Conn, digest_id: UUID, f: domain.Figures) -> records.Digest:
    row = await conn.fetchrow(
        """UPDATE digests SET requests_handled = $2, minutes_saved = $3, requests_on_time = $4, on_time_share = $5,
               kudos_given = $6, kudos_received = $7, highlight_kudos_ids = $8, published_at = now()
           WHERE id = $1 RETURNING *""",
        digest_id,
        f.requests_handled,
        f.minutes_saved,
        f.requests_on_time,
        f.on_time_share,
        f.kudos_given,
        f.kudos_received,
        [UUID(k) for k in f.highlight_kudos_ids],
    )
    assert row is not None
    return as_record(records.Digest, row)


async def digests_of(conn: Conn, pool_id: str, limit: int) -> list[records.Digest]:
    rows = await conn.fetch(
        "SELECT * FROM digests WHERE pool_id = $1 ORDER BY period_start DESC LIMIT $2", pool_id, limit
    )
    return as_records(records.Digest, rows)


async def get_digest(conn: Conn, digest_id: UUID) -> records.Digest | None:
    row = await conn.fetchrow("SELECT * FROM digests WHERE id = $1", digest_id)
    return as_record(records.Digest, row) if row is not None else None
