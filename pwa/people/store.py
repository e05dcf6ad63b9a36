"""SQL for people (the pwa's accounts, as admins manage them) and the pool registry. Returns
Structs. Every change bumps the entity's version, which its identity event carries."""

from collections.abc import Sequence

from pwa.people.rules import PersonFields
from pwa.records import Person, Pool
from services.platform.db import Conn, as_record, as_records

_PERSON = (
    "SELECT id, email, name, roles, pools, language, disabled_at IS NOT NULL AS disabled,"
    " password_hash IS NOT NULL AS has_password, version FROM accounts"
)
_POOL = "SELECT id, name_nl, name_en, public_holidays, version FROM pools"


async def people(conn: Conn, *, search: str = "", limit: int = 500) -> list[Person]:
    """By name; `search` matches name or e-mail."""
    rows = await conn.fetch(
        _PERSON + " WHERE $1 = '' OR name ILIKE '%' || $1 || '%' OR email ILIKE '%' || $1 || '%'"
        " ORDER BY disabled_at IS NOT NULL, name LIMIT $2",
        search,
        limit,
    )
    return as_records(Person, rows)


async def person(conn: Conn, account_id: str) -> Person | None:
    row = await conn.fetchrow(_PERSON + " WHERE id = $1", account_id)
    return None if row is None else as_record(Person, row)


async def by_email(conn: Conn, email: str) -> Person | None:
    row = await conn.fetchrow(_PERSON + " WHERE email = lower($1)", email.strip())
    return None if row is None else as_record(Person, row)


async def by_emails(conn: Conn, emails: Sequence[str]) -> list[Person]:
    rows = await conn.fetch(_PERSON + " WHERE email = ANY($1::text[])", list(emails))
    return as_records(Person, rows)


async def create_many(conn: Conn, people: Sequence[tuple[str, PersonFields]]) -> None:
    """New accounts without a password (they set it from their link), in one statement."""
    await conn.execute(
        """INSERT INTO accounts (id, email, name, password_hash, roles, pools, language)
           SELECT id, email, name, NULL, string_to_array(roles, ','), string_to_array(pools, ','), language
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS t(id, email, name, roles, pools, language)""",
        [i for i, _ in people],
        [p.email for _, p in people],
        [p.name for _, p in people],
        [",".join(p.roles) for _, p in people],
        [",".join(p.pools) for _, p in people],
        [p.language for _, p in people],
    )


async def update_many(conn: Conn, people: Sequence[tuple[str, PersonFields]]) -> dict[str, int]:
    """Name, e-mail, roles, pools and language of existing accounts; returns their new versions."""
    rows = await conn.fetch(
        """UPDATE accounts a SET email = t.email, name = t.name, roles = string_to_array(t.roles, ','),
               pools = string_to_array(t.pools, ','), language = t.language, version = a.version + 1,
               updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS t(id, email, name, roles, pools, language)
           WHERE a.id = t.id RETURNING a.id, a.version""",
        [i for i, _ in people],
        [p.email for _, p in people],
        [p.name for _, p in people],
        [",".join(p.roles) for _, p in people],
        [",".join(p.pools) for _, p in people],
        [p.language for _, p in people],
    )
    return {account_id: version for account_id, version in rows}


async def set_disabled(conn: Conn, account_id: str, disabled: bool) -> int | None:
    """The account's new version, or None if it was already so."""
    version: int | None = await conn.fetchval(
        """UPDATE accounts SET disabled_at = CASE WHEN $2 THEN now() END, version = version + 1, updated_at = now()
           WHERE id = $1 AND (disabled_at IS NOT NULL) <> $2 RETURNING version""",
        account_id,
        disabled,
    )
    return version


async def set_password(conn: Conn, account_id: str, password_hash: str) -> None:
    await conn.execute(
        "UPDATE accounts SET password_hash = $2, updated_at = now() WHERE id = $1", account_id, password_hash
    )


async def count_admins(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM accounts WHERE 'admin' = ANY(roles) AND disabled_at IS NULL"))


async def pools(conn: Conn) -> list[Pool]:
    rows = await conn.fetch(_POOL + " ORDER BY name_nl")
    return as_records(Pool, rows)


async def pool(conn: Conn, pool_id: str) -> Pool | None:
    row = await conn.fetchrow(_POOL + " WHERE id = $1", pool_id)
    return None if row is None else as_record(Pool, row)


async def save_pool(conn: Conn, p: Pool) -> int:
    """Create or change a pool; returns its version."""
    version: int = await conn.fetchval(
        """INSERT INTO pools (id, name_nl, name_en, public_holidays) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET name_nl = EXCLUDED.name_nl, name_en = EXCLUDED.name_en,
               public_holidays = EXCLUDED.public_holidays,
               version = pools.version + 1
           RETURNING version""",
        p.id,
        p.name_nl,
        p.name_en,
        p.public_holidays,
    )
    return version


async def members_of(conn: Conn, pool_id: str) -> list[Person]:
    """Everyone who lists the pool (its secretaries, leads and the staff it serves)."""
    rows = await conn.fetch(_PERSON + " WHERE $1 = ANY(pools) ORDER BY name", pool_id)
    return as_records(Person, rows)
