"""Accounts and sessions: password check, sign-in (a new session id every time), sign-out,
and "sign out everywhere". SQL for the pwa's own schema lives here.

Session tokens are random; only their SHA-256 is stored, so a database leak yields no
usable cookie.
"""

import hashlib
import secrets
from datetime import timedelta

from pwa import passwords
from pwa.records import Account, Credentials
from services.platform.db import Conn, Pool, as_record, as_records

SESSION_DAYS = 30


# The columns of an `Account` record.
_ACCOUNT = "id, email, name, roles, pools, language"


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def upsert(
    conn: Conn, *, id: str, email: str, name: str, password_hash: str, roles: list[str], pools: list[str], language: str
) -> None:
    await conn.execute(
        """INSERT INTO accounts (id, email, name, password_hash, roles, pools, language)
           VALUES ($1, lower($2), $3, $4, $5, $6, $7)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles,
               pools = EXCLUDED.pools""",
        id,
        email,
        name,
        password_hash,
        roles,
        pools,
        language,
    )


async def count(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM accounts"))


async def credentials(conn: Conn, email: str) -> Credentials | None:
    """The account an e-mail belongs to, if any, and its hash."""
    # A disabled account, or one that has not chosen a password yet, costs the same and fails.
    row = await conn.fetchrow(
        f"SELECT {_ACCOUNT}, CASE WHEN disabled_at IS NULL THEN password_hash END AS password_hash"
        " FROM accounts WHERE email = lower($1)",
        email.strip(),
    )
    return None if row is None else as_record(Credentials, row)


async def set_password_hash(conn: Conn, account_id: str, password_hash: str) -> None:
    await conn.execute("UPDATE accounts SET password_hash = $2 WHERE id = $1", account_id, password_hash)


async def check_password(pool: Pool, email: str, password: str) -> Account | None:
    """The account if the password is right; as slow for an unknown e-mail as for a known one.
    No connection is held while hashing. A hash from older parameters is replaced by a current one."""
    async with pool.acquire() as conn:
        found = await credentials(conn, email)
    # Verified even without an account or a password (then against a dummy): same time either way.
    matched = await passwords.verify_password(password, None if found is None else found.password_hash)
    if found is None or found.password_hash is None or not matched:
        return None
    if passwords.needs_rehash(found.password_hash):
        fresh = await passwords.hash_password(password)
        async with pool.acquire() as conn:
            await set_password_hash(conn, found.id, fresh)
    return found.account()


async def usable(conn: Conn, account_id: str) -> Account | None:
    """The account if it may sign in (not disabled, not erased): for sign-ins without a password."""
    row = await conn.fetchrow(
        f"SELECT {_ACCOUNT} FROM accounts WHERE id = $1 AND disabled_at IS NULL AND erased_at IS NULL", account_id
    )
    return None if row is None else as_record(Account, row)


async def id_for_email(conn: Conn, email: str) -> str | None:
    found: str | None = await conn.fetchval("SELECT id FROM accounts WHERE email = lower($1)", email.strip())
    return found


async def start_session(
    conn: Conn,
    account_id: str,
    *,
    replacing: str | None = None,
    method: str = "password",
    pending: str | None = None,
    user_agent: str = "",
    ip: str | None = None,
) -> str:
    """A fresh session token; the one the browser had before sign-in is dropped (fixation).
    A `pending` session (a second factor still due) signs nobody in until it is completed."""
    if replacing:
        await conn.execute("DELETE FROM sessions WHERE token_hash = $1", _token_hash(replacing))
    token = secrets.token_urlsafe(32)
    await conn.execute(
        """INSERT INTO sessions (token_hash, account_id, expires_at, method, pending, user_agent, ip)
           VALUES ($1, $2, now() + $3::interval, $4, $5, $6, $7)""",
        _token_hash(token),
        account_id,
        timedelta(minutes=10) if pending == "second_factor" else timedelta(days=SESSION_DAYS),
        method,
        pending,
        user_agent[:300],
        ip,
    )
    return token


# A session's last use is written at most this often: every page view and call checks its
# session, and a write each time made every one of them a transaction PostgreSQL must flush.
# Idle limits are whole hours (admin_security), so a minute late is far within them.
_SEEN_EVERY = "1 minute"

_LIVE_SESSION = f"""
    WITH live AS (
        SELECT a.id, a.email, a.name, a.roles, a.pools, a.language
        FROM sessions s JOIN accounts a ON a.id = s.account_id CROSS JOIN sign_in_policy p
        WHERE s.token_hash = $1 AND s.expires_at > now() AND a.disabled_at IS NULL AND s.pending IS NULL
          AND s.last_seen > now() - make_interval(mins => p.idle_minutes)
          AND s.created_at > now() - make_interval(hours => p.absolute_hours)
    ), seen AS (
        UPDATE sessions SET last_seen = now()
        WHERE token_hash = $1 AND last_seen < now() - interval '{_SEEN_EVERY}' AND EXISTS (SELECT FROM live)
    )
    SELECT id, email, name, roles, pools, language FROM live"""


async def account_for_session(conn: Conn, token: str) -> Account | None:
    """The signed-in person, unless the session ended: expired, idle or older than the
    organisation's sign-in policy allows, still waiting for a second factor, or the account disabled."""
    row = await conn.fetchrow(_LIVE_SESSION, _token_hash(token))
    return None if row is None else as_record(Account, row)


async def end_session(conn: Conn, token: str) -> None:
    await conn.execute("DELETE FROM sessions WHERE token_hash = $1", _token_hash(token))


async def end_all_sessions(conn: Conn, account_id: str) -> int:
    result: str = await conn.execute("DELETE FROM sessions WHERE account_id = $1", account_id)
    return int(result.split()[-1])


async def get(conn: Conn, account_id: str) -> Account | None:
    row = await conn.fetchrow(f"SELECT {_ACCOUNT} FROM accounts WHERE id = $1", account_id)
    return None if row is None else as_record(Account, row)


async def names(conn: Conn, ids: list[str]) -> dict[str, str]:
    rows = await conn.fetch("SELECT id, name FROM accounts WHERE id = ANY($1)", ids)
    return {account_id: name for account_id, name in rows}


async def set_language(conn: Conn, account_id: str, language: str) -> None:
    await conn.execute("UPDATE accounts SET language = $2 WHERE id = $1", account_id, language)


async def directory(conn: Conn, pools: list[str] | None = None) -> list[Account]:
    """Everyone (optionally: in one of these pools), by name: for picking people. An erased
    account is nobody to pick."""
    rows = await conn.fetch(
        f"SELECT {_ACCOUNT} FROM accounts WHERE ($1::text[] IS NULL OR pools && $1) AND erased_at IS NULL ORDER BY name",
        pools,
    )
    return as_records(Account, rows)
