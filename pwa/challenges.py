"""Short-lived state of a sign-in in progress, kept server-side and used once: a passkey
challenge, the OIDC state (with its nonce and PKCE verifier), a TOTP secret being set up.
Shared by every pwa replica, so the answer may reach another replica than the question."""

import secrets
from datetime import timedelta
from typing import Any

from pwa.records import Challenge
from services.platform.db import Conn, as_record


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
           VALUES ($1, $2, $3, $4, now() + $5::interval)""",
        challenge_id,
        purpose,
        account_id,
        payload,
        timedelta(seconds=seconds),
    )
    return challenge_id


async def take(conn: Conn, challenge_id: str, purpose: str) -> Challenge | None:
    """The challenge, removed so it cannot be answered twice; None if unknown or expired."""
    # Removed even when expired; returned only while fresh.
    row = await conn.fetchrow(
        """WITH taken AS (
               DELETE FROM sign_in_challenges WHERE id = $1 AND purpose = $2
               RETURNING id, account_id, payload, expires_at)
           SELECT id, account_id, payload FROM taken WHERE expires_at > now()""",
        challenge_id,
        purpose,
    )
    return None if row is None else as_record(Challenge, row)


async def peek(conn: Conn, challenge_id: str, purpose: str, *, account_id: str) -> Challenge | None:
    """The challenge without using it up (a mistyped code may be tried again), for its owner only."""
    row = await conn.fetchrow(
        """SELECT id, account_id, payload FROM sign_in_challenges
           WHERE id = $1 AND purpose = $2 AND account_id = $3 AND expires_at > now()""",
        challenge_id,
        purpose,
        account_id,
    )
    return None if row is None else as_record(Challenge, row)


async def prune(conn: Conn) -> None:
    await conn.execute("DELETE FROM sign_in_challenges WHERE expires_at < now()")
