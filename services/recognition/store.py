"""Recognition's SQL for kudos: the wall, reactions, reports and their audit trail, the
organisation's values, pools and who works in them. Only SQL here (requests, prompts and
digests are in store_work.py)."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from services.platform.db import Conn, as_record, as_records
from services.recognition import records

# The columns of records.Kudos, of the kudos aliased `k`.
KUDOS = """k.id, k.giver_id, k.recipient_ids, k.pool_id, k.message, k.value_id, k.request_id, k.prompt_id,
           k.from_pools, k.to_pools, k.pools, k.created_at, k.version, k.hidden_at, k.hidden_by, k.hidden_why"""


async def insert_kudos(conn: Conn, k: records.NewKudos) -> records.Kudos:
    row = await conn.fetchrow(
        f"""INSERT INTO kudos AS k (id, giver_id, recipient_ids, pool_id, message, value_id, request_id, prompt_id,
               from_pools, to_pools, pools)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING {KUDOS}""",
        k.id,
        k.giver_id,
        k.recipient_ids,
        k.pool_id,
        k.message,
        k.value_id,
        k.request_id,
        k.prompt_id,
        k.from_pools,
        k.to_pools,
        k.pools,
    )
    assert row is not None
    return as_record(records.Kudos, row)


async def get_kudos(conn: Conn, kudos_id: UUID, *, for_update: bool = False) -> records.Kudos | None:
    row = await conn.fetchrow(
        f"SELECT {KUDOS} FROM kudos k WHERE k.id = $1" + (" FOR UPDATE" if for_update else ""), kudos_id
    )
    return as_record(records.Kudos, row) if row is not None else None


async def bump_version(conn: Conn, kudos_id: UUID) -> int:
    version: int = await conn.fetchval(
        "UPDATE kudos SET version = version + 1 WHERE id = $1 RETURNING version", kudos_id
    )
    return version


async def lock_giver(conn: Conn, giver_id: str) -> None:
    """Serialise one giver's kudos (until commit) so two at once cannot both pass the daily limit."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('kudos-giver'), hashtext($1))", giver_id)


async def given_since(conn: Conn, giver_id: str, since: datetime) -> int:
    return int(
        await conn.fetchval("SELECT count(*) FROM kudos WHERE giver_id = $1 AND created_at >= $2", giver_id, since)
    )


async def wall(
    conn: Conn, *, limit: int, before: UUID | None, pool_id: str | None, value_id: str | None
) -> list[records.Kudos]:
    """Visible kudos, newest first, after the `before` kudos (keyset: created_at, id)."""
    rows = await conn.fetch(
        f"""SELECT {KUDOS} FROM kudos k
           WHERE k.hidden_at IS NULL
             AND ($2::uuid IS NULL OR (k.created_at, k.id) < (SELECT created_at, id FROM kudos WHERE id = $2))
             AND ($3::text IS NULL OR k.pools @> ARRAY[$3::text])
             AND ($4::text IS NULL OR k.value_id = $4)
           ORDER BY k.created_at DESC, k.id DESC LIMIT $1""",
        limit,
        before,
        pool_id,
        value_id,
    )
    return as_records(records.Kudos, rows)


async def received_by(
    conn: Conn, account_id: str, pools: list[str], *, limit: int, before: UUID | None
) -> list[records.Kudos]:
    """Visible kudos naming this person, or thanking a whole pool they work in; newest first."""
    rows = await conn.fetch(
        f"""SELECT {KUDOS} FROM kudos k
           WHERE k.hidden_at IS NULL
             AND (k.recipient_ids @> ARRAY[$1::text] OR k.pool_id = ANY($2::text[]))
             AND k.giver_id <> $1
             AND ($4::uuid IS NULL OR (k.created_at, k.id) < (SELECT created_at, id FROM kudos WHERE id = $4))
           ORDER BY k.created_at DESC, k.id DESC LIMIT $3""",
        account_id,
        pools,
        limit,
        before,
    )
    return as_records(records.Kudos, rows)


async def kudos_by_ids(conn: Conn, ids: list[UUID]) -> list[records.Kudos]:
    """Visible kudos among `ids`, in the order of `ids`."""
    rows = await conn.fetch(
        f"""SELECT {KUDOS} FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted(id, n)
           JOIN kudos k ON k.id = wanted.id WHERE k.hidden_at IS NULL ORDER BY wanted.n""",
        ids,
    )
    return as_records(records.Kudos, rows)


async def reaction_tallies(conn: Conn, kudos_ids: list[UUID]) -> dict[UUID, dict[str, int]]:
    rows = await conn.fetch(
        "SELECT kudos_id, emoji, count(*) AS n FROM reactions WHERE kudos_id = ANY($1) GROUP BY kudos_id, emoji",
        kudos_ids,
    )
    tallies: dict[UUID, dict[str, int]] = {}
    for kudos_id, emoji, n in rows:
        tallies.setdefault(kudos_id, {})[emoji] = n
    return tallies


async def reactions_of(conn: Conn, account_id: str, kudos_ids: list[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT kudos_id, emoji FROM reactions WHERE account_id = $1 AND kudos_id = ANY($2)", account_id, kudos_ids
    )
    return {kudos_id: emoji for kudos_id, emoji in rows}


async def set_reaction(conn: Conn, kudos_id: UUID, account_id: str, emoji: str) -> str | None:
    """Set this person's one reaction; returns the one it replaced (None if new).
    Callers hold the kudos row lock, so the read and the write cannot interleave."""
    previous: str | None = await conn.fetchval(
        "SELECT emoji FROM reactions WHERE kudos_id = $1 AND account_id = $2", kudos_id, account_id
    )
    await conn.execute(
        """INSERT INTO reactions (kudos_id, account_id, emoji) VALUES ($1, $2, $3)
           ON CONFLICT (kudos_id, account_id) DO UPDATE SET emoji = EXCLUDED.emoji, at = now()""",
        kudos_id,
        account_id,
        emoji,
    )
    return previous


async def delete_reaction(conn: Conn, kudos_id: UUID, account_id: str) -> str | None:
    emoji: str | None = await conn.fetchval(
        "DELETE FROM reactions WHERE kudos_id = $1 AND account_id = $2 RETURNING emoji", kudos_id, account_id
    )
    return emoji


async def insert_report(
    conn: Conn, report_id: UUID, kudos_id: UUID, reporter_id: str, reason: str
) -> records.Report | None:
    """The new report, or None when this person already reported this kudos."""
    row = await conn.fetchrow(
        """INSERT INTO reports (id, kudos_id, reporter_id, reason) VALUES ($1, $2, $3, $4)
           ON CONFLICT (kudos_id, reporter_id) DO NOTHING RETURNING *""",
        report_id,
        kudos_id,
        reporter_id,
        reason,
    )
    return as_record(records.Report, row) if row is not None else None


async def report_by(conn: Conn, kudos_id: UUID, reporter_id: str) -> records.Report | None:
    row = await conn.fetchrow("SELECT * FROM reports WHERE kudos_id = $1 AND reporter_id = $2", kudos_id, reporter_id)
    return as_record(records.Report, row) if row is not None else None


async def open_reports(conn: Conn, limit: int, pools: list[str] | None = None) -> list[records.ReportedKudos]:
    """Reported kudos awaiting a moderator, oldest report first, with their reasons; with
    `pools`, only kudos that touch one of them."""
    rows = await conn.fetch(
        f"""SELECT {KUDOS}, array_agg(r.reason ORDER BY r.at) AS reasons, min(r.at) AS first_reported_at
           FROM reports r JOIN kudos k ON k.id = r.kudos_id
           WHERE r.resolved_at IS NULL AND ($2::text[] IS NULL OR k.pools && $2::text[])
           GROUP BY k.id ORDER BY min(r.at) LIMIT $1""",
        limit,
        pools,
    )
    return as_records(records.ReportedKudos, rows)


async def resolve_reports(conn: Conn, kudos_id: UUID, resolution: str, by: str) -> int:
    status = await conn.execute(
        """UPDATE reports SET resolved_at = now(), resolved_by = $3, resolution = $2
           WHERE kudos_id = $1 AND resolved_at IS NULL""",
        kudos_id,
        resolution,
        by,
    )
    return int(status.split()[-1])


async def hide(conn: Conn, kudos_id: UUID, by: str, why: str) -> int:
    version: int = await conn.fetchval(
        """UPDATE kudos SET hidden_at = now(), hidden_by = $2, hidden_why = $3, version = version + 1
           WHERE id = $1 RETURNING version""",
        kudos_id,
        by,
        why,
    )
    return version


async def audit(conn: Conn, kudos_id: UUID, actor_id: str | None, action: str, detail: str = "") -> None:
    await conn.execute(
        "INSERT INTO kudos_audit (kudos_id, actor_id, action, detail) VALUES ($1, $2, $3, $4)",
        kudos_id,
        actor_id,
        action,
        detail,
    )


async def audit_of(conn: Conn, kudos_id: UUID) -> list[records.AuditEntry]:
    rows = await conn.fetch(
        "SELECT at, actor_id, action, detail FROM kudos_audit WHERE kudos_id = $1 ORDER BY id", kudos_id
    )
    return as_records(records.AuditEntry, rows)


async def list_values(conn: Conn, *, include_retired: bool = False) -> list[records.Value]:
    rows = await conn.fetch(
        "SELECT * FROM org_values WHERE $1 OR retired_at IS NULL ORDER BY position, id", include_retired
    )
    return as_records(records.Value, rows)


async def active_value(conn: Conn, value_id: str) -> bool:
    return bool(await conn.fetchval("SELECT true FROM org_values WHERE id = $1 AND retired_at IS NULL", value_id))


async def upsert_value(
    conn: Conn, value_id: str, name_nl: str, name_en: str, position: int | None = None
) -> records.Value:
    row = await conn.fetchrow(
        """INSERT INTO org_values (id, name_nl, name_en, position)
           VALUES ($1, $2, $3, coalesce($4, (SELECT coalesce(max(position), 0) + 1 FROM org_values)))
           ON CONFLICT (id) DO UPDATE SET name_nl = EXCLUDED.name_nl, name_en = EXCLUDED.name_en,
               position = coalesce($4, org_values.position), retired_at = NULL, updated_at = now()
           RETURNING *""",
        value_id,
        name_nl,
        name_en,
        position,
    )
    assert row is not None
    return as_record(records.Value, row)


async def retire_value(conn: Conn, value_id: str) -> bool:
    status = await conn.execute(
        "UPDATE org_values SET retired_at = now(), updated_at = now() WHERE id = $1 AND retired_at IS NULL", value_id
    )
    return status != "UPDATE 0"


async def count_values(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM org_values"))


async def note_pools(conn: Conn, pool_ids: Iterable[str]) -> None:
    await conn.execute(
        "INSERT INTO pools (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING", sorted(set(pool_ids))
    )


async def note_members(conn: Conn, pool_id: str, account_ids: Iterable[str]) -> None:
    await note_pools(conn, [pool_id])
    await conn.execute(
        "INSERT INTO pool_members (pool_id, account_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
        pool_id,
        sorted(set(account_ids)),
    )


async def leave_pools(conn: Conn, account_id: str, *, keep: list[str]) -> None:
    """The person no longer works in any pool but those kept (moved, no longer a member, disabled)."""
    await conn.execute(
        "DELETE FROM pool_members WHERE account_id = $1 AND NOT (pool_id = ANY($2::text[]))", account_id, keep
    )


async def pools_of(conn: Conn, account_ids: list[str]) -> list[str]:
    rows = await conn.fetch(
        "SELECT DISTINCT pool_id FROM pool_members WHERE account_id = ANY($1) ORDER BY pool_id", account_ids
    )
    return [pool_id for (pool_id,) in rows]


async def pools(conn: Conn) -> list[records.Pool]:
    return as_records(records.Pool, await conn.fetch("SELECT * FROM pools ORDER BY id"))


async def pool(conn: Conn, pool_id: str) -> records.Pool | None:
    row = await conn.fetchrow("SELECT * FROM pools WHERE id = $1", pool_id)
    return as_record(records.Pool, row) if row is not None else None


async def set_digest_period(conn: Conn, pool_id: str, seconds: int | None) -> None:
    await conn.execute(
        """INSERT INTO pools (id, digest_period_seconds) VALUES ($1, $2)
           ON CONFLICT (id) DO UPDATE SET digest_period_seconds = EXCLUDED.digest_period_seconds""",
        pool_id,
        seconds,
    )
