"""One-time links: the first admin's setup link, the set-password link of an invite or of
`secpool admin create`, and the password-reset link. Only a hash of the token is stored; a
link works once and until it expires."""

import hashlib
import secrets
from datetime import timedelta
from typing import Literal

from pwa.records import OneTimeLink
from services.platform.db import Conn, as_record

Purpose = Literal["setup", "password"]
SETUP_TTL = timedelta(hours=1)
INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(minutes=30)


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def issue(conn: Conn, purpose: Purpose, ttl: timedelta, account_id: str | None = None) -> str:
    """A new link's token (shown once: only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO one_time_links (token_hash, purpose, account_id, expires_at) VALUES ($1, $2, $3, now() + $4::interval)",
        _hash(token),
        purpose,
        account_id,
        ttl,
    )
    return token


async def issue_many(conn: Conn, purpose: Purpose, ttl: timedelta, account_ids: list[str]) -> list[str]:
    """One link per account, in one statement (a bulk import's invites)."""
    tokens = [secrets.token_urlsafe(32) for _ in account_ids]
    await conn.execute(
        """INSERT INTO one_time_links (token_hash, purpose, account_id, expires_at)
           SELECT h, $2, a, now() + $4::interval FROM unnest($1::bytea[], $3::text[]) AS t(h, a)""",
        [_hash(t) for t in tokens],
        purpose,
        account_ids,
        ttl,
    )
    return tokens


async def valid(conn: Conn, token: str, purpose: Purpose) -> tuple[bool, str | None]:
    """(usable?, account id) without using the link up (to show its form)."""
    row = await conn.fetchrow(
        "SELECT account_id FROM one_time_links WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL"
        " AND expires_at > now()",
        _hash(token),
        purpose,
    )
    return (row is not None, None if row is None else as_record(OneTimeLink, row).account_id)


async def use(conn: Conn, token: str, purpose: Purpose) -> tuple[bool, str | None]:
    """Use the link up (at most once, even with two tabs submitting together): (was it usable?, account id)."""
    row = await conn.fetchrow(
        """UPDATE one_time_links SET used_at = now()
           WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
           RETURNING account_id""",
        _hash(token),
        purpose,
    )
    return (row is not None, None if row is None else as_record(OneTimeLink, row).account_id)


async def retire_for(conn: Conn, account_id: str) -> None:
    """A new password or a disabled account: every open link of the person stops working."""
    await conn.execute(
        "UPDATE one_time_links SET used_at = now() WHERE account_id = $1 AND used_at IS NULL", account_id
    )


async def retire_setup(conn: Conn) -> None:
    """Once an admin exists, no setup link works any more."""
    await conn.execute("UPDATE one_time_links SET used_at = now() WHERE purpose = 'setup' AND used_at IS NULL")
