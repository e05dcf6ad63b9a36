"""Giving kudos over the API on real PostgreSQL and NATS: with and without a finished request,
never to yourself, within a daily limit, tagged with the organisation's values."""

import asyncio

from services.contracts.recognition import KudosGiven
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import caller, eventually, new_id


async def test_a_kudos_without_a_request_lands_on_the_wall_and_is_announced(recognition, js):
    rec = await recognition()
    giver, colleague = caller("staff"), new_id("acct-")
    given = await rec.give(giver, message="Thanks for covering my phone!", recipient_ids=[colleague], value_id="samen")
    assert given.status_code == 201, given.text
    kudos = given.json()
    assert (kudos["giver_id"], kudos["recipient_ids"], kudos["value_id"]) == (giver.account_id, [colleague], "samen")
    assert kudos["request_id"] is None and kudos["request"] is None
    assert [r["count"] for r in kudos["reactions"]] == [0, 0, 0, 0]
    wall = (await rec.call("GET", "/v1/wall", caller("staff"))).json()
    assert [k["id"] for k in wall["items"]] == [kudos["id"]]
    [event] = await bus.recorded(js, KudosGiven)
    assert (event.kudos_id, event.giver_id, event.recipient_ids) == (kudos["id"], giver.account_id, [colleague])


async def test_a_kudos_tied_to_a_finished_request_carries_the_request(recognition, js):
    rec = await recognition()
    requester, member = caller("staff", pools=(POOL,)), new_id("acct-")
    done = bus.completed(requester_id=requester.account_id, member_id=member, type_id="agenda-meeting")
    await bus.publish(js, done)

    async def give() -> object:
        return await rec.give(requester, message="Perfect planning", recipient_ids=[member], request_id=done.request_id)

    given = await eventually(give, lambda r: r.status_code == 201, within=5)
    kudos = given.json()
    assert kudos["request_id"] == done.request_id
    assert kudos["request"]["type_id"] == "agenda-meeting" and kudos["request"]["pool_id"] == POOL
    # A request thanked for is the pool's work: the pool's wall shows it.
    pool_wall = (await rec.call("GET", "/v1/wall", requester, params={"pool_id": POOL})).json()
    assert [k["id"] for k in pool_wall["items"]] == [kudos["id"]]


async def test_a_kudos_cannot_be_tied_to_a_request_that_is_not_done(recognition):
    rec = await recognition()
    refused = await rec.give(caller("staff"), message="Thanks", recipient_ids=["someone"], request_id="no-such-request")
    assert refused.status_code == 422 and "request_id" in refused.json()["detail"]


async def test_nobody_can_thank_themself(recognition):
    rec = await recognition()
    me = caller("secretary", pools=(POOL,))
    refused = await rec.give(me, message="Well done, me", recipient_ids=["other", me.account_id])
    assert refused.status_code == 422
    assert "yourself" in refused.json()["detail"]
    assert (await rec.call("GET", "/v1/wall", me)).json()["items"] == []


async def test_a_kudos_needs_someone_to_thank_and_a_real_message(recognition):
    rec = await recognition()
    who = caller("staff")
    assert (await rec.give(who, message="Thanks")).status_code == 422
    assert (await rec.give(who, message="", recipient_ids=["x"])).status_code == 400
    assert (await rec.give(who, message="x" * 501, recipient_ids=["x"])).status_code == 400
    assert (await rec.give(who, message="   ", recipient_ids=["x"])).status_code == 422
    assert (await rec.give(who, message="x" * 500, recipient_ids=["x"])).status_code == 201
    assert (await rec.give(who, message="Thanks, team", pool_id=POOL)).status_code == 201
    unknown_pool = await rec.give(who, message="Thanks, whoever", pool_id="pool-nowhere")
    assert unknown_pool.status_code == 422 and "pool_id" in unknown_pool.json()["detail"]


async def test_the_daily_limit_stops_a_giver_with_a_clear_message_and_nobody_else(recognition):
    rec = await recognition(daily_limit=3)
    busy, other = caller("staff"), caller("staff")
    for n in range(3):
        assert (await rec.give(busy, message=f"Thanks #{n}", recipient_ids=["x"])).status_code == 201
    refused = await rec.give(busy, message="One more", recipient_ids=["x"])
    assert refused.status_code == 429
    assert "3 kudos today" in refused.json()["detail"] and "tomorrow" in refused.json()["detail"]
    assert (await rec.give(other, message="Mine still works", recipient_ids=["x"])).status_code == 201


async def test_the_daily_limit_holds_when_a_giver_sends_many_at_once(recognition):
    rec = await recognition(daily_limit=3)
    giver = caller("staff")
    answers = await asyncio.gather(*(rec.give(giver, message=f"#{n}", recipient_ids=["x"]) for n in range(8)))
    assert sorted(a.status_code for a in answers) == [201] * 3 + [429] * 5


async def test_values_are_the_organisations_and_set_by_an_admin(recognition):
    rec = await recognition()
    staff, admin = caller("staff"), caller("admin", "staff")
    values = (await rec.call("GET", "/v1/values/", staff)).json()
    assert [v["id"] for v in values] == ["samen", "betrouwbaar", "verder-kijken", "groei"]
    assert values[0]["name"] == {"nl": "Samen", "en": "Together"}
    unknown = await rec.give(staff, message="Thanks", recipient_ids=["x"], value_id="speed")
    assert unknown.status_code == 422 and "value_id" in unknown.json()["detail"]
    assert (await rec.call("PUT", "/v1/values/speed", staff, json={"nl": "Snel", "en": "Fast"})).status_code == 403
    added = await rec.call("PUT", "/v1/values/speed", admin, json={"nl": "Snel", "en": "Fast"})
    assert added.status_code == 200 and added.json()["name"] == {"nl": "Snel", "en": "Fast"}
    assert (await rec.give(staff, message="Quick!", recipient_ids=["x"], value_id="speed")).status_code == 201
    assert (await rec.call("DELETE", "/v1/values/speed", admin)).status_code == 204
    assert "speed" not in [v["id"] for v in (await rec.call("GET", "/v1/values/", staff)).json()]
    assert (await rec.give(staff, message="Again", recipient_ids=["x"], value_id="speed")).status_code == 422
    # Kudos keep a retired tag; the wall still filters by it.
    tagged = (await rec.call("GET", "/v1/wall", staff, params={"value_id": "speed"})).json()["items"]
    assert [k["message"] for k in tagged] == ["Quick!"]
