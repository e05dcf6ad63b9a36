"""Accounts and sessions: password check, sign-in (a new session id every time), sign-out,
and "sign out everywhere". SQL for the pwa's own schema lives here.

Session tokens are random; only their SHA-256 is stored, so a database leak yields no
usable cookie.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import msgspec

from pwa import passwords
from services.platform.db import Conn
from services.platform.tokens import Caller

SESSION_DAYS = 30


class Account(msgspec.Struct, frozen=True):
    id: str
    email: str
    name: str
    roles: tuple[str, ...]
    pools: tuple[str, ...]
    language: str

    def caller(self) -> Caller:
        return Caller(account_id=self.id, roles=self.roles, pools=self.pools, name=self.name)

    def has(self, role: str) -> bool:
        return role in self.roles


def _account(row: Any) -> Account:
    return Account(
        id=row["id"], email=row["email"], name=row["name"], roles=tuple(row["roles"]),
        pools=tuple(row["pools"]), language=row["language"],
    )  # fmt: skip


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def upsert(conn: Conn, *, id: str, email: str, name: str, password_hash: str, roles: list[str],
                 pools: list[str], language: str) -> None:  # fmt: skip
    await conn.execute(
        """INSERT INTO accounts (id, email, name, password_hash, roles, pools, language)
           VALUES ($1, lower($2), $3, $4, $5, $6, $7)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles,
               pools = EXCLUDED.pools""",
        id, email, name, password_hash, roles, pools, language,
    )  # fmt: skip


async def count(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM accounts"))


async def check_password(conn: Conn, email: str, password: str) -> Account | None:
    """The account if the password is right; as slow for an unknown e-mail as for a known one.
    A hash from older parameters is replaced by a current one."""
    row = await conn.fetchrow("SELECT * FROM accounts WHERE email = lower($1)", email.strip())
    # A disabled account, or one that has not chosen a password yet, costs the same and fails.
    usable = row is not None and row["disabled_at"] is None
    stored = row["password_hash"] if usable and row is not None else None
    matches = await passwords.verify_password(password, stored)
    if row is None or stored is None or not matches:
        return None
    if passwords.needs_rehash(stored):
        fresh = await passwords.hash_password(password)
        await conn.execute("UPDATE accounts SET password_hash = $2 WHERE id = $1", row["id"], fresh)
    return _account(row)


async def start_session(conn: Conn, account_id: str, *, replacing: str | None = None) -> str:
    """A fresh session token; the one the browser had before sign-in is dropped (fixation)."""
    if replacing:
        await conn.execute("DELETE FROM sessions WHERE token_hash = $1", _token_hash(replacing))
    token = secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + $3::interval)",
        _token_hash(token),
        account_id,
        timedelta(days=SESSION_DAYS),
    )
    return token


async def account_for_session(conn: Conn, token: str) -> Account | None:
    """The signed-in account; None for an unknown or expired session, or a disabled account."""
    row = await conn.fetchrow(
        """UPDATE sessions s SET last_seen = now() FROM accounts a
           WHERE s.token_hash = $1 AND s.expires_at > now() AND a.id = s.account_id AND a.disabled_at IS NULL
           RETURNING a.*""",
        _token_hash(token),
    )
    return None if row is None else _account(row)


async def end_session(conn: Conn, token: str) -> None:
    await conn.execute("DELETE FROM sessions WHERE token_hash = $1", _token_hash(token))


async def end_all_sessions(conn: Conn, account_id: str) -> int:
    result: str = await conn.execute("DELETE FROM sessions WHERE account_id = $1", account_id)
    return int(result.split()[-1])


async def get(conn: Conn, account_id: str) -> Account | None:
    row = await conn.fetchrow("SELECT * FROM accounts WHERE id = $1", account_id)
    return None if row is None else _account(row)


async def names(conn: Conn, ids: list[str]) -> dict[str, str]:
    rows = await conn.fetch("SELECT id, name FROM accounts WHERE id = ANY($1)", ids)
    return {r["id"]: r["name"] for r in rows}


async def set_language(conn: Conn, account_id: str, language: str) -> None:
    await conn.execute("UPDATE accounts SET language = $2 WHERE id = $1", account_id, language)


async def directory(conn: Conn, pools: list[str] | None = None) -> list[Account]:
    """Everyone (optionally: in one of these pools), by name: for picking people."""
    rows = await conn.fetch("SELECT * FROM accounts WHERE $1::text[] IS NULL OR pools && $1 ORDER BY name", pools)
    return [_account(r) for r in rows]
