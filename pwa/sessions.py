"""A person's sessions beyond the signed-in check (that one is `accounts.account_for_session`):
the list on "my sessions", ending one of them, and sign-ins still waiting for a second factor.

A session is named by its random `id`; its token hash never leaves the database.
"""

import hashlib
from uuid import UUID

from pwa.records import Pending, Session
from services.platform.db import Conn, as_record, as_records

# A half-finished sign-in: password right, second factor due; or second factor to be set up.
SECOND_FACTOR = "second_factor"
ENROL = "enrol"


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def of_account(conn: Conn, account_id: str, *, current_token: str = "") -> list[Session]:
    """The person's signed-in sessions, the most recently used first."""
    rows = await conn.fetch(
        """SELECT id, created_at, last_seen, method, user_agent, ip, token_hash = $2 AS current
           FROM sessions WHERE account_id = $1 AND pending IS NULL AND expires_at > now()
           ORDER BY last_seen DESC""",
        account_id,
        _hash(current_token),
    )
    return as_records(Session, rows)


async def end_one(conn: Conn, account_id: str, session_id: UUID) -> bool:
    """End one of this person's sessions (never someone else's)."""
    result: str = await conn.execute("DELETE FROM sessions WHERE id = $1 AND account_id = $2", session_id, account_id)
    return result.endswith(" 1")


async def pending(conn: Conn, token: str) -> Pending | None:
    """The sign-in this browser has half finished, if it has not expired."""
    row = await conn.fetchrow(
        "SELECT account_id, pending AS stage, method FROM sessions WHERE token_hash = $1 AND pending IS NOT NULL"
        " AND expires_at > now()",
        _hash(token),
    )
    return None if row is None else as_record(Pending, row)


async def drop(conn: Conn, token: str) -> None:
    await conn.execute("DELETE FROM sessions WHERE token_hash = $1", _hash(token))


async def method_of(conn: Conn, token: str) -> str | None:
    """How the session behind `token` was signed in (password, password+totp, passkey, oidc)."""
    found: str | None = await conn.fetchval("SELECT method FROM sessions WHERE token_hash = $1", _hash(token))
    return found
