"""SQL for notification choices (pwa schema) and for who should get an e-mail now."""

from collections.abc import Sequence
from typing import Literal

from pwa.records import Recipient
from services.platform.db import Conn, as_records

Kind = Literal["offered", "question", "done", "thanks", "digest"]
Channel = Literal["push", "email", "none"]
KINDS: tuple[Kind, ...] = ("offered", "question", "done", "thanks", "digest")
CHANNELS: tuple[Channel, ...] = ("push", "email", "none")
RECIPIENTS = "SELECT id, email, name, language FROM accounts"
WANTS_EMAIL = "disabled_at IS NULL AND email <> '' AND notification_channel(id, $2) = 'email'"


async def choices_of(conn: Conn, account_id: str) -> dict[Kind, Channel]:
    """Every kind's channel for this person: their choice, else the default."""
    rows = await conn.fetch(
        "SELECT k AS kind, notification_channel($1, k) AS channel FROM unnest($2::text[]) AS k", account_id, list(KINDS)
    )
    return {kind: channel for kind, channel in rows}


async def choose(conn: Conn, account_id: str, kind: Kind, channel: Channel) -> None:
    await conn.execute(
        """INSERT INTO notification_choices (account_id, kind, channel) VALUES ($1, $2, $3)
           ON CONFLICT (account_id, kind) DO UPDATE SET channel = EXCLUDED.channel, updated_at = now()""",
        account_id,
        kind,
        channel,
    )


async def by_email(
    conn: Conn, kind: Kind, account_ids: Sequence[str] = (), pool_id: str | None = None
) -> list[Recipient]:
    """The people (named, or everyone in the pool) who want this kind of news by e-mail now."""
    # Two statements, not one with `$2 IS NULL OR …`: a plain one gets PostgreSQL's generic plan
    # after a few runs, where the OR was planned anew on every event.
    if pool_id is None:
        rows = await conn.fetch(
            f"{RECIPIENTS} WHERE id = ANY($1::text[]) AND {WANTS_EMAIL} ORDER BY id", list(account_ids), kind
        )
    else:
        rows = await conn.fetch(
            f"{RECIPIENTS} WHERE (id = ANY($1::text[]) OR $3 = ANY(pools)) AND {WANTS_EMAIL} ORDER BY id",
            list(account_ids),
            kind,
            pool_id,
        )
    return as_records(Recipient, rows)
