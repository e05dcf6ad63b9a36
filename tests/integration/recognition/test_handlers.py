"""Recognition's consumers of identity's accounts (handlers.py): an account announced counts for its
pools' walls; an erased giver's words leave the wall while the kudos (and every count of them) stays."""

import uuid
from datetime import UTC, datetime

from services.contracts.identity import AccountCreated, AccountErased
from tests.integration.recognition import bus
from tests.support import caller, eventually, new_id


async def test_accounts_announced_by_identity_count_for_their_pools_walls(recognition, js):
    rec = await recognition()
    newcomer = new_id("acct-")
    await bus.publish(
        js,
        AccountCreated(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            account_id=newcomer,
            version=1,
            name="Nieuw",
            email=f"{newcomer}@example.org",
            roles=["secretary"],
            pools=["pool-new"],
        ),
    )

    async def thank_and_look() -> list[str]:
        await rec.give(caller("staff"), message="Welcome and thanks!", recipient_ids=[newcomer])
        wall = (await rec.call("GET", "/v1/wall", caller("staff"), params={"pool_id": "pool-new"})).json()
        return [k["message"] for k in wall["items"]]

    await eventually(thank_and_look, lambda found: len(found) >= 1)


async def test_an_erased_givers_words_go_and_the_kudos_stay(recognition, js):
    rec = await recognition()
    anna, colleague = caller("staff"), new_id("acct-")
    kudos = (await rec.give(anna, message="Thanks, Sanne de Vries!", recipient_ids=[colleague])).json()
    wall_before = (await rec.call("GET", "/v1/wall", caller("staff"))).json()["items"]
    erased = AccountErased(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), account_id=anna.account_id, version=5)
    await bus.publish(js, erased)

    async def wall() -> list[dict]:
        return (await rec.call("GET", "/v1/wall", caller("staff"))).json()["items"]

    after = await eventually(wall, lambda items: items[0]["message"] == "—", within=15)
    assert [k["id"] for k in after] == [k["id"] for k in wall_before] == [kudos["id"]]
    assert after[0]["recipient_ids"] == [colleague]
