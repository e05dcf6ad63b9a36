"""Privacy in routing: a member's data download holds their membership; when their account is
erased (identity's `AccountErased`) their open offer goes to the next member at once, they get
no new work, and their name is gone."""

import uuid
from datetime import UTC, datetime

from services.contracts.identity import AccountErased
from tests.integration.routing.conftest import Pool
from tests.support import eventually


async def test_an_erased_member_hands_back_their_offer_and_loses_their_name(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 5})
    bob = await routing_pool.member("bob", {"agenda": 3})
    held = (await routing_pool.client.get("/v1/people/me/data", headers=routing_pool.as_member(ann))).json()
    assert held["member"]["skills"] == {"agenda": 5} and held["member"]["pool_id"] == routing_pool.pool_id

    request_id = await routing_pool.submit()
    assert (await routing_pool.live_offer(request_id))["member_id"] == ann
    await routing_pool.publish(
        AccountErased(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), account_id=ann, version=7)
    )

    async def offered_to() -> list[str]:
        return [o["member_id"] for o in await routing_pool.offers(request_id) if o["status"] in ("open", "accepted")]

    assert await eventually(offered_to, lambda members: members == [bob], within=15) == [bob]

    async def ann_row() -> dict:
        return dict(await routing_pool.db.fetchrow("SELECT name, active, presence FROM members WHERE id = $1", ann))

    assert await eventually(ann_row, lambda r: r == {"name": "", "active": False, "presence": "off_duty"}, within=15)
    next_request = await routing_pool.submit()
    assert (await routing_pool.live_offer(next_request, within=15))["member_id"] == bob
