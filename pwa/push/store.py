"""Push SQL (pwa schema): subscriptions, notification preferences, and the delivery queue.

A subscription belongs to the browser session that registered it (`session_hash` references
`sessions`, ON DELETE CASCADE): signing out forgets that device, "sign out everywhere"
forgets them all, and an expired session gets no pushes.
"""

import hmac
from collections.abc import Iterable
from datetime import datetime

from pwa.push.notices import KINDS, Announcement, Kind
from pwa.records import Due, PushOwner
from services.platform.db import Conn, as_record, as_records
from services.platform.errors import Invalid


async def save_subscription(
    conn: Conn,
    *,
    endpoint: str,
    account_id: str,
    session_hash: bytes,
    p256dh: str,
    auth: str,
    expires_at: datetime | None,
) -> bool:
    """Upsert by endpoint; False (nothing changed) when the endpoint belongs to another account.

    An endpoint belongs to the account that registered it. Another account takes it over only
    with the same keys, which only the browser holding that subscription has (a shared tablet
    where the next person signs in): what was still queued for the previous person is dropped.
    Knowing someone's endpoint URL is not enough. Run it in a transaction."""
    row = await conn.fetchrow(
        "SELECT account_id, p256dh, auth FROM push_subscriptions WHERE endpoint = $1 FOR UPDATE", endpoint
    )
    owner = None if row is None else as_record(PushOwner, row)
    if owner is not None and owner.account_id != account_id:
        same_keys = hmac.compare_digest(owner.p256dh.encode(), p256dh.encode()) and hmac.compare_digest(
            owner.auth.encode(), auth.encode()
        )
        if not same_keys:
            return False
        await conn.execute("DELETE FROM push_subscriptions WHERE endpoint = $1", endpoint)
    # The WHERE keeps a concurrent first registration by someone else from being overwritten.
    result: str = await conn.execute(
        """INSERT INTO push_subscriptions (endpoint, account_id, session_hash, p256dh, auth, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (endpoint) DO UPDATE SET session_hash = EXCLUDED.session_hash, p256dh = EXCLUDED.p256dh,
               auth = EXCLUDED.auth, expires_at = EXCLUDED.expires_at, updated_at = now()
           WHERE push_subscriptions.account_id = EXCLUDED.account_id""",
        endpoint,
        account_id,
        session_hash,
        p256dh,
        auth,
        expires_at,
    )
    return result == "INSERT 0 1"


async def forget_subscription(conn: Conn, account_id: str, endpoint: str) -> bool:
    result: str = await conn.execute(
        "DELETE FROM push_subscriptions WHERE endpoint = $1 AND account_id = $2", endpoint, account_id
    )
    return result != "DELETE 0"


async def endpoints_of(conn: Conn, account_id: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT endpoint FROM push_subscriptions WHERE account_id = $1 ORDER BY created_at", account_id
    )
    return [endpoint for (endpoint,) in rows]


async def muted_kinds(conn: Conn, account_id: str) -> set[Kind]:
    """Preferences for the settings page: the kinds of notice this person turned off."""
    muted = await conn.fetchval("SELECT muted FROM push_preferences WHERE account_id = $1", account_id)
    return {k for k in KINDS if k in (muted or [])}


async def set_muted_kinds(conn: Conn, account_id: str, muted: Iterable[str]) -> None:
    chosen = sorted(set(muted))
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise Invalid(f"muted: unknown kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")
    await conn.execute(
        """INSERT INTO push_preferences (account_id, muted) VALUES ($1, $2)
           ON CONFLICT (account_id) DO UPDATE SET muted = EXCLUDED.muted, updated_at = now()""",
        account_id,
        chosen,
    )


async def queue(conn: Conn, announcement: Announcement, lease_seconds: float = 0.0) -> list[Due]:
    """One delivery per live subscription of each recipient who wants it pushed, in their
    language: their channel choice decides where the notice has one (pwa/notify), their push
    mute of the kind where it has none. Runs in the consumer's transaction (idempotent with its
    inbox row). With a lease the deliveries come back claimed already (their first attempt,
    not due before the lease ends), for this process's sender to send without a claim."""
    rows = await conn.fetch(
        """WITH queued AS (
               INSERT INTO push_deliveries (endpoint, notice, ttl, urgency, discard_after, not_before, attempts)
               SELECT p.endpoint, coalesce($1::jsonb -> a.language, $1::jsonb -> 'nl'), $2::int, $3,
                      now() + $2::int * interval '1 second', now() + $8::float8 * interval '1 second',
                      CASE WHEN $8::float8 > 0 THEN 1 ELSE 0 END
               FROM push_subscriptions p
               JOIN accounts a ON a.id = p.account_id
               JOIN sessions s ON s.token_hash = p.session_hash AND s.expires_at > now()
               LEFT JOIN push_preferences pref ON pref.account_id = p.account_id
               WHERE (p.account_id = ANY($4::text[])
                      OR ($5::text IS NOT NULL AND 'lead' = ANY(a.roles) AND $5::text = ANY(a.pools)))
                 AND CASE WHEN $7::text IS NULL THEN NOT ($6::text = ANY(coalesce(pref.muted, '{}')))
                          ELSE notification_channel(p.account_id, $7::text) = 'push' END
                 AND (p.expires_at IS NULL OR p.expires_at > now())
               RETURNING id, endpoint, notice, urgency, attempts, ttl)
           SELECT q.id, q.endpoint, convert_to(q.notice::text, 'UTF8') AS notice, q.urgency, q.attempts,
                  p.p256dh, p.auth, q.ttl AS ttl_left
           FROM queued q JOIN push_subscriptions p ON p.endpoint = q.endpoint""",
        announcement.notices,
        announcement.ttl,
        announcement.urgency,
        list(announcement.account_ids),
        announcement.leads_of_pool,
        announcement.kind,
        announcement.choice,
        lease_seconds,
    )
    return as_records(Due, rows)


async def claim_due(conn: Conn, limit: int, lease_seconds: float, finished: list[int] | None = None) -> list[Due]:
    """Claim due deliveries by pushing `not_before` past the lease: another replica skips
    them, and if this one dies they come due again. `finished`: deliveries sent since the last
    claim, which leave the queue in the same statement (still leased, never claimed here)."""
    rows = await conn.fetch(
        """WITH finished AS (DELETE FROM push_deliveries WHERE id = ANY($3::bigint[])),
                due AS (
               SELECT id FROM push_deliveries WHERE not_before <= now()
               ORDER BY not_before, id LIMIT $1 FOR UPDATE SKIP LOCKED)
           UPDATE push_deliveries d
           SET not_before = now() + $2::float8 * interval '1 second', attempts = d.attempts + 1
           FROM due, push_subscriptions p
           WHERE d.id = due.id AND p.endpoint = d.endpoint
           RETURNING d.id, d.endpoint, convert_to(d.notice::text, 'UTF8') AS notice, d.urgency, d.attempts,
                     p.p256dh, p.auth, greatest(0, floor(extract(epoch FROM d.discard_after - now())))::int AS ttl_left""",
        limit,
        lease_seconds,
        finished or [],
    )
    return as_records(Due, rows)


async def finish(conn: Conn, delivery_ids: list[int]) -> None:
    """Delivered, expired, or not worth another try: the deliveries leave the queue."""
    if delivery_ids:
        await conn.execute("DELETE FROM push_deliveries WHERE id = ANY($1::bigint[])", delivery_ids)


async def retry_later(conn: Conn, delivery_id: int, delay_seconds: float) -> None:
    await conn.execute(
        "UPDATE push_deliveries SET not_before = now() + $2::float8 * interval '1 second' WHERE id = $1",
        delivery_id,
        delay_seconds,
    )


async def forget_endpoint(conn: Conn, endpoint: str) -> None:
    """The push service says the subscription is gone (404/410): drop it and its queue."""
    await conn.execute("DELETE FROM push_subscriptions WHERE endpoint = $1", endpoint)


async def pending_count(conn: Conn) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM push_deliveries"))
