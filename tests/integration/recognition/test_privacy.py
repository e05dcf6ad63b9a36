"""Privacy in recognition: my data holds the thanks I gave and received and my reactions; an
erased giver's words leave the wall while the kudos (and every count of them) stays."""

import uuid
from datetime import UTC, datetime

from services.contracts.identity import AccountErased
from tests.integration.recognition import bus
from tests.support import caller, eventually, new_id


async def test_my_data_holds_thanks_given_and_received(recognition):
    rec = await recognition()
    anna, sanne = caller("staff"), caller("secretary")
    given = (await rec.give(anna, message="Thanks for the agenda!", recipient_ids=[sanne.account_id])).json()
    back = (await rec.give(sanne, message="You are welcome", recipient_ids=[anna.account_id])).json()
    reacted = await rec.call("PUT", f"/v1/kudos/{back['id']}/reaction", anna, json={"emoji": "👏"})
    assert reacted.status_code == 200, reacted.text
    held = (await rec.call("GET", "/v1/people/me/data", anna)).json()
    assert [k["message"] for k in held["given"]] == ["Thanks for the agenda!"]
    assert [k["message"] for k in held["received"]] == ["You are welcome"]
    assert [r["kudos_id"] for r in held["reactions"]] == [back["id"]]
    assert given["id"] != back["id"]


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
