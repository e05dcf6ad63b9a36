"""Routing follows identity: a secretary announced by the pwa becomes a member (no hours yet,
so no offers until she sets them); a stale announcement changes nothing; a disabled or moved
member leaves the pool and her open offer goes to a colleague with the reason "no longer in
the pool"; a pool's holiday calendar comes with the pool."""

import uuid
from datetime import UTC, datetime
from typing import Any

from services.contracts.identity import AccountCreated, AccountDisabled, AccountEnabled, AccountUpdated, PoolCreated
from services.routing import store_members, store_rota
from tests.integration.routing.conftest import Pool
from tests.support import eventually, new_id


def account(event: Any, pool: Pool, account_id: str, version: int, **fields: Any) -> Any:
    person = {"name": "Sanne", "email": "s@example.org", "roles": ["secretary"], "pools": [pool.pool_id]} | fields
    return event(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), account_id=account_id, version=version, **person)


async def member(pool: Pool, member_id: str) -> Any:
    async with pool.db.acquire() as conn:
        return await store_members.member(conn, member_id)


async def test_an_announced_secretary_becomes_a_member_without_hours_and_stale_news_is_ignored(routing_pool: Pool):
    pool = routing_pool
    sanne = new_id("sanne-")
    await pool.publish(account(AccountCreated, pool, sanne, 1, language="en"))
    row = await eventually(lambda: member(pool, sanne), lambda r: r is not None)
    assert row.active and list(row.languages) == ["en"]
    async with pool.db.acquire() as conn:
        assert await store_rota.hours_of(conn, sanne) == [[]] * 7
    await pool.publish(account(AccountUpdated, pool, sanne, 3, name="Sanne de Vries"))
    await eventually(lambda: member(pool, sanne), lambda r: r.name == "Sanne de Vries")
    await pool.publish(account(AccountUpdated, pool, sanne, 2, name="Old name"))
    await pool.publish(account(AccountUpdated, pool, sanne, 4, name="Sanne de Vries", roles=["staff"]))
    await eventually(lambda: member(pool, sanne), lambda r: not r.active)
    assert (await member(pool, sanne)).name == "Sanne de Vries"


async def test_a_disabled_members_open_offer_goes_to_a_colleague_with_the_reason(routing_pool: Pool):
    pool = routing_pool
    first = await pool.member("first", {"agenda": 5}, capacity=1)
    request_id = await pool.submit()
    offer = await pool.live_offer(request_id)
    assert offer["member_id"] == first
    second = await pool.member("second", {"agenda": 3})
    await pool.publish(
        AccountDisabled(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), account_id=first, version=2)
    )

    async def offers() -> list[dict[str, Any]]:
        return await pool.offers(request_id)

    found = await eventually(offers, lambda os: any(o["member_id"] == second and o["status"] == "open" for o in os))
    assert next(o for o in found if o["member_id"] == first)["reason"] == "no longer in the pool"
    assert not (await member(pool, first)).active
    await pool.publish(account(AccountEnabled, pool, first, 3, name="first"))  # enabled again: back, skills kept
    back = await eventually(lambda: member(pool, first), lambda r: r.active)
    assert back.skills["agenda"] == 5 and back.open_count == 0


async def test_a_pool_brings_its_holiday_calendar(routing_pool: Pool):
    pool = routing_pool
    await pool.publish(
        PoolCreated(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            pool_id=pool.pool_id,
            version=1,
            name_nl="Secretariaat",
            name_en="Secretariat",
        )
    )

    async def calendar() -> str:
        async with pool.db.acquire() as conn:
            return await store_rota.calendar_of(conn, pool.pool_id)

    await eventually(calendar, lambda c: c == "NL")
