"""The wall (wall.py: newest first, paged, by pool and by value) and "my thanks" (private, with the
requests the kudos belong to)."""

from services.demo import organisation
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import caller, eventually, new_id


async def test_the_wall_pages_newest_first_without_gaps_or_repeats(recognition):
    rec = await recognition()
    giver = caller("staff")
    ids = [(await rec.give(giver, message=f"Thanks {n}", recipient_ids=["x"])).json()["id"] for n in range(5)]
    seen, before = [], None
    while True:
        params = {"limit": 2, **({"before": before} if before else {})}
        page = (await rec.call("GET", "/v1/wall", giver, params=params)).json()
        seen += [k["id"] for k in page["items"]]
        before = page["next_before"]
        if before is None:
            break
    assert seen == ids[::-1]


async def test_the_wall_filters_by_pool_and_by_value(recognition):
    rec = await recognition()
    member = caller("secretary", pools=(POOL,))
    other_pool_member = caller("secretary", pools=("pool-finance",))
    to_pool = (await rec.give(caller("staff"), message="Thanks, all of you", pool_id=POOL)).json()["id"]
    from_member = (await rec.give(member, message="Thanks for the coffee", recipient_ids=["x"])).json()["id"]
    # The demo organisation says Sanne works in the pool: thanking her is the pool's too.
    sanne = next(p.id for p in organisation().people if p.email == "sanne@example.org")
    to_sanne = (await rec.give(caller("staff"), message="Merci", recipient_ids=[sanne], value_id="groei")).json()["id"]
    elsewhere = (await rec.give(other_pool_member, message="Elsewhere", recipient_ids=["y"])).json()["id"]

    pool_wall = (await rec.call("GET", "/v1/wall", member, params={"pool_id": POOL})).json()["items"]
    assert [k["id"] for k in pool_wall] == [to_sanne, from_member, to_pool]
    finance = (await rec.call("GET", "/v1/wall", member, params={"pool_id": "pool-finance"})).json()["items"]
    assert [k["id"] for k in finance] == [elsewhere]
    growth = (await rec.call("GET", "/v1/wall", member, params={"value_id": "groei"})).json()["items"]
    assert [k["id"] for k in growth] == [to_sanne]


async def test_my_thanks_are_mine_only_and_show_the_request_they_belong_to(recognition, js):
    rec = await recognition()
    me = caller("secretary", pools=(POOL,))
    requester = caller("staff")
    done = bus.completed(requester_id=requester.account_id, member_id=me.account_id, type_id="letter")
    await bus.publish(js, done)

    async def thank() -> object:
        body = {"message": "Lovely letter", "recipient_ids": [me.account_id], "request_id": done.request_id}
        return await rec.call("POST", "/v1/kudos", requester, json=body)

    for_the_letter = (await eventually(thank, lambda r: r.status_code == 201)).json()["id"]
    to_the_pool = (await rec.give(caller("staff"), message="Thanks, pool", pool_id=POOL)).json()["id"]
    await rec.give(caller("staff"), message="Not for me", recipient_ids=[new_id()])
    await rec.give(me, message="From me to the pool", pool_id=POOL)

    mine = (await rec.call("GET", "/v1/me/kudos", me)).json()
    assert [k["id"] for k in mine["items"]] == [to_the_pool, for_the_letter]
    assert mine["items"][1]["request"] == {
        "id": done.request_id,
        "pool_id": POOL,
        "type_id": "letter",
        "completed_at": done.occurred_at.isoformat().replace("+00:00", "Z"),
    }
    assert (await rec.call("GET", "/v1/me/kudos", requester)).json()["items"] == []
