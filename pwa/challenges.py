"""Short-lived state of a sign-in in progress, kept server-side and used once: a passkey
challenge, the OIDC state (with its nonce and PKCE verifier), a TOTP secret being set up.
Shared by every pwa replica, so the answer may reach another replica than the question."""

import secrets
from datetime import timedelta
from typing import Any

import msgspec

from services.platform.db import Conn


class Challenge(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    account_id: str | None
    payload: dict[str, Any]


async def put(
    conn: Conn,
    purpose: str,
    payload: dict[str, Any],
    *,
    account_id: str | None = None,
    seconds: int = 300,
    id: str | None = None,
) -> str:
    """Keep `payload` for `seconds`; returns its id (random unless given, e.g. an OIDC state)."""
    challenge_id = id or secrets.token_urlsafe(24)
    await conn.execute("DELETE FROM sign_in_challenges WHERE expires_at < now()")
    await conn.execute(
        """INSERT INTO sign_in_challenges (id, purpose, account_id, payload, expires_at)
           VALUES ($1, $2, $3, $4::jsonb, now() + $5::interval)""",
        challenge_id,
        purpose,
        account_id,
        msgspec.json.encode(payload).decode(),
        timedelta(seconds=seconds),
    )
    return challenge_id


async def take(conn: Conn, challenge_id: str, purpose: str) -> Challenge | None:
    """The challenge, removed so it cannot be answered twice; None if unknown or expired."""
    row = await conn.fetchrow(
        """DELETE FROM sign_in_challenges WHERE id = $1 AND purpose = $2
           RETURNING id, account_id, payload::text AS payload, expires_at > now() AS fresh""",
        challenge_id,
        purpose,
    )
    if row is None or not row["fresh"]:
        return None
    return Challenge(id=row["id"], account_id=row["account_id"], payload=msgspec.json.decode(row["payload"]))


async def peek(conn: Conn, challenge_id: str, purpose: str, *, account_id: str) -> Challenge | None:
    """The challenge without using it up (a mistyped code may be tried again), for its owner only."""
    row = await conn.fetchrow(
        """SELECT id, account_id, payload::text AS payload FROM sign_in_challenges
           WHERE id = $1 AND purpose = $2 AND account_id = $3 AND expires_at > now()""",
        challenge_id,
        purpose,
        account_id,
    )
    if row is None:
        return None
    return Challenge(id=row["id"], account_id=row["account_id"], payload=msgspec.json.decode(row["payload"]))


async def prune(conn: Conn) -> None:
    await conn.execute("DELETE FROM sign_in_challenges WHERE expires_at < now()")
