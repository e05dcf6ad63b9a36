"""Who is a member of which pool, as identity announces it: a secretary (in exactly one pool,
`pools[0]`) becomes a member with no hours yet; a member who is disabled, no longer a
secretary or moved to another pool leaves the pool, and their open offers and accepted work go
back to it with the reason "no longer in the pool". Stale events (an older version) change nothing.
"""

from zoneinfo import ZoneInfo

from services.contracts.identity import AccountDisabled, AccountEvent, PoolEvent
from services.platform.db import Conn
from services.routing import assignment, store, store_members, store_rota

LEFT = "no longer in the pool"
NEW_MEMBER_CAPACITY = 3


async def on_account(conn: Conn, event: AccountEvent, *, zone: ZoneInfo) -> None:
    current = await store_members.member(conn, event.account_id)
    if current is not None and current.identity_version >= event.version:
        return  # an older announcement than the one already applied
    if isinstance(event, AccountDisabled) or "secretary" not in event.roles or not event.pools:
        if current is not None:
            await store_members.set_identity(conn, event.account_id, version=event.version, active=False)
            if current.active:
                await hand_back_all(conn, event.account_id, zone=zone)
        return
    pool_id = event.pools[0]
    moved = current is not None and current.active and current.pool_id != pool_id
    if moved:
        await store_members.set_identity(conn, event.account_id, version=event.version, active=False)
        await hand_back_all(conn, event.account_id, zone=zone)
    await store_members.join(
        conn, event.account_id, pool_id, event.name, [event.language], NEW_MEMBER_CAPACITY, version=event.version
    )
    await assignment.drain_queue(conn, pool_id, zone=zone)


async def hand_back_all(conn: Conn, member_id: str, *, zone: ZoneInfo) -> None:
    """Open offers and accepted work go to the next candidates (intake records the handover)."""
    for offer in await store.open_offers_of(conn, member_id, with_accepted=True):
        req = await store.lock_request(conn, offer.request_id)
        assert req is not None
        await assignment.hand_back(conn, offer, req, status="withdrawn", reason=LEFT, zone=zone)


async def on_pool(conn: Conn, event: PoolEvent, *, zone: ZoneInfo) -> None:
    await store_rota.upsert_pool(conn, event.pool_id, event.public_holidays, event.version)
    await assignment.drain_queue(conn, event.pool_id, zone=zone)  # a holiday calendar dropped may open the pool
