"""Private calendar feed links (pwa schema): a random token per person, only its hash stored.
Making a new link revokes the old one; the person can also stop their feed."""

import hashlib
import secrets

from pwa import accounts
from pwa.records import Account, Feed
from services.platform.db import Conn, as_record


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def new_link(conn: Conn, account_id: str) -> str:
    """A fresh token for this person (the previous one stops working); shown once."""
    token = secrets.token_urlsafe(32)
    await conn.execute(
        """INSERT INTO calendar_feeds (account_id, token_hash) VALUES ($1, $2)
           ON CONFLICT (account_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now(),
               last_read_at = NULL""",
        account_id,
        _hash(token),
    )
    return token


async def stop(conn: Conn, account_id: str) -> None:
    await conn.execute("DELETE FROM calendar_feeds WHERE account_id = $1", account_id)


async def feed_of(conn: Conn, account_id: str) -> Feed | None:
    row = await conn.fetchrow("SELECT created_at, last_read_at FROM calendar_feeds WHERE account_id = $1", account_id)
    return None if row is None else as_record(Feed, row)


async def owner_of(conn: Conn, token: str) -> Account | None:
    """The person whose feed this token opens (and note that it was read); None if unknown."""
    # A disabled person's feed answers as if it did not exist.
    account_id = await conn.fetchval(
        """UPDATE calendar_feeds f SET last_read_at = now() FROM accounts a
           WHERE f.token_hash = $1 AND a.id = f.account_id AND a.disabled_at IS NULL RETURNING f.account_id""",
        _hash(token),
    )
    if account_id is None:
        return None
    return await accounts.get(conn, account_id)
