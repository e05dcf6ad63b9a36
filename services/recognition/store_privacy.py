"""SQL for privacy in recognition: the thanks a person gave and received and their reactions
(for their data download), and removing what they wrote when their account is erased. Kudos
stay on the wall as a fact (counted in digests); only the erased person's words go."""

from services.contracts.recognition_api import HeldKudos, HeldReaction
from services.platform.db import Conn, as_records

# A kudos message must have a length; this stands where the erased person's words were.
ERASED_MESSAGE = "—"


_KUDOS = """SELECT id, giver_id, recipient_ids, message, value_id, request_id, created_at,
                   hidden_at IS NOT NULL AS hidden FROM kudos"""


async def kudos_given(conn: Conn, account_id: str) -> list[HeldKudos]:
    rows = await conn.fetch(f"{_KUDOS} WHERE giver_id = $1 ORDER BY created_at", account_id)
    return as_records(HeldKudos, rows)


async def kudos_received(conn: Conn, account_id: str) -> list[HeldKudos]:
    rows = await conn.fetch(f"{_KUDOS} WHERE $1 = ANY(recipient_ids) ORDER BY created_at", account_id)
    return as_records(HeldKudos, rows)


async def reactions_of(conn: Conn, account_id: str) -> list[HeldReaction]:
    rows = await conn.fetch("SELECT kudos_id, emoji, at FROM reactions WHERE account_id = $1 ORDER BY at", account_id)
    return as_records(HeldReaction, rows)


async def erase(conn: Conn, account_id: str) -> None:
    """Idempotent: the person's kudos messages and report reasons are replaced, nothing is deleted."""
    await conn.execute("UPDATE kudos SET message = $2 WHERE giver_id = $1", account_id, ERASED_MESSAGE)
    await conn.execute("UPDATE reports SET reason = '' WHERE reporter_id = $1", account_id)
