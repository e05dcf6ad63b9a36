"""Kudos over the API on real PostgreSQL and NATS (kudos.py): given with and without a finished
request, never to yourself, within a daily limit; reactions (one per person, can be taken back);
moderation (anyone reports, a lead or admin hides with a reason, the giver is told, the audit
trail keeps it; a lead only kudos that touch their own pool)."""

import asyncio

from services.contracts.recognition import KudosGiven, KudosHidden, KudosReacted, KudosReported
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import caller, eventually, new_id


def tally(kudos: dict[str, object]) -> dict[str, int]:
    return {r["emoji"]: r["count"] for r in kudos["reactions"] if r["count"]}  # type: ignore[attr-defined, index]


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


async def test_each_person_has_one_reaction_per_kudos_and_can_take_it_back(recognition, js):
    rec = await recognition()
    kudos_id = (await rec.give(caller("staff"), message="Great minutes", recipient_ids=[new_id()])).json()["id"]
    anna, bram = caller("staff"), caller("staff")
    path = f"/v1/kudos/{kudos_id}/reaction"

    first = await rec.call("PUT", path, anna, json={"emoji": "👏"})
    assert first.status_code == 200 and tally(first.json()) == {"👏": 1} and first.json()["my_reaction"] == "👏"
    again = await rec.call("PUT", path, anna, json={"emoji": "👏"})
    assert tally(again.json()) == {"👏": 1}
    changed = await rec.call("PUT", path, anna, json={"emoji": "🎉"})
    assert tally(changed.json()) == {"🎉": 1}
    other = await rec.call("PUT", path, bram, json={"emoji": "❤"})
    assert tally(other.json()) == {"🎉": 1, "❤️": 1} and other.json()["my_reaction"] == "❤️"

    taken_back = await rec.call("DELETE", path, anna)
    assert taken_back.status_code == 200 and tally(taken_back.json()) == {"❤️": 1}
    assert taken_back.json()["my_reaction"] is None
    assert tally((await rec.call("DELETE", path, anna)).json()) == {"❤️": 1}  # twice is harmless

    wrong = await rec.call("PUT", path, anna, json={"emoji": "👍"})
    assert wrong.status_code == 422 and "emoji" in wrong.json()["detail"]
    events = await bus.recorded(js, KudosReacted, at_least=4)
    assert [(e.account_id == anna.account_id, e.emoji, e.withdrawn) for e in events] == [
        (True, "👏", False),
        (True, "🎉", False),
        (False, "❤️", False),
        (True, "🎉", True),
    ]
    assert [e.version for e in events] == [2, 3, 4, 5]


async def test_a_reported_kudos_is_hidden_by_a_lead_with_a_reason_and_stays_in_the_audit_trail(recognition, js):
    rec = await recognition()
    giver, recipient = caller("staff"), caller("secretary", pools=(POOL,))
    given = await rec.give(giver, message="Thanks, you genius!!1", recipient_ids=[recipient.account_id], pool_id=POOL)
    kudos_id = given.json()["id"]
    reporter, bystander = caller("staff"), caller("staff")
    lead = caller("lead", "staff", pools=(POOL,))

    reported = await rec.call("POST", f"/v1/kudos/{kudos_id}/reports", reporter, json={"reason": "mocking tone"})
    assert reported.status_code == 201
    again = await rec.call("POST", f"/v1/kudos/{kudos_id}/reports", reporter, json={"reason": "really"})
    assert again.status_code == 200 and again.json()["id"] == reported.json()["id"]
    assert (await rec.call("GET", "/v1/reports", bystander)).status_code == 403
    queue = (await rec.call("GET", "/v1/reports", lead)).json()
    assert [(q["kudos"]["id"], q["reasons"]) for q in queue] == [(kudos_id, ["mocking tone"])]

    not_allowed = await rec.call("POST", f"/v1/kudos/{kudos_id}/hide", bystander, json={"reason": "no"})
    assert not_allowed.status_code == 403
    hidden = await rec.call("POST", f"/v1/kudos/{kudos_id}/hide", lead, json={"reason": "Not kind enough"})
    assert hidden.status_code == 200 and hidden.json()["hidden"]["reason"] == "Not kind enough"
    assert (await rec.call("POST", f"/v1/kudos/{kudos_id}/hide", lead, json={"reason": "again"})).status_code == 409

    assert (await rec.call("GET", "/v1/wall", bystander)).json()["items"] == []
    assert (await rec.call("GET", "/v1/me/kudos", recipient)).json()["items"] == []
    assert (await rec.call("GET", f"/v1/kudos/{kudos_id}", bystander)).status_code == 404
    seen_by_giver = (await rec.call("GET", f"/v1/kudos/{kudos_id}", giver)).json()
    assert seen_by_giver["hidden"]["reason"] == "Not kind enough" and seen_by_giver["hidden"]["by"] == lead.account_id
    assert (await rec.call("PUT", f"/v1/kudos/{kudos_id}/reaction", bystander, json={"emoji": "👏"})).status_code == 404
    assert (await rec.call("GET", "/v1/reports", lead)).json() == []

    trail = (await rec.call("GET", f"/v1/kudos/{kudos_id}/audit", lead)).json()
    assert [(a["action"], a["detail"]) for a in trail] == [
        ("given", ""),
        ("reported", "mocking tone"),
        ("hidden", "Not kind enough"),
    ]
    assert (await rec.call("GET", f"/v1/kudos/{kudos_id}/audit", giver)).status_code == 403

    [told] = await bus.recorded(js, KudosHidden)
    assert (told.kudos_id, told.giver_id, told.hidden_by) == (kudos_id, giver.account_id, lead.account_id)
    [report_event] = await bus.recorded(js, KudosReported)
    assert report_event.report_id == reported.json()["id"]


async def test_a_moderator_can_keep_a_reported_kudos_on_the_wall(recognition):
    rec = await recognition()
    kudos_id = (await rec.give(caller("staff"), message="Dank!", recipient_ids=["x"])).json()["id"]
    await rec.call("POST", f"/v1/kudos/{kudos_id}/reports", caller("staff"), json={})
    admin = caller("admin", "staff")
    assert (await rec.call("POST", f"/v1/kudos/{kudos_id}/keep", caller("staff"))).status_code == 403
    assert (await rec.call("POST", f"/v1/kudos/{kudos_id}/keep", admin)).status_code == 204
    assert (await rec.call("GET", "/v1/reports", admin)).json() == []
    assert [k["id"] for k in (await rec.call("GET", "/v1/wall", admin)).json()["items"]] == [kudos_id]
    assert [a["action"] for a in (await rec.call("GET", f"/v1/kudos/{kudos_id}/audit", admin)).json()] == [
        "given",
        "reported",
        "kept",
    ]


async def test_a_lead_of_another_pool_cannot_moderate_this_pools_kudos(recognition):
    rec = await recognition()
    member, other_member = caller("secretary", pools=(POOL,)), caller("secretary", pools=("pool-elsewhere",))
    await rec.give(other_member, message="Hello there", recipient_ids=[new_id()])  # recognition learns that pool
    ours = (await rec.give(caller("staff"), message="Top!", recipient_ids=[member.account_id], pool_id=POOL)).json()
    theirs = (await rec.give(other_member, message="Merci", recipient_ids=[new_id()])).json()
    for kudos in (ours, theirs):
        await rec.call("POST", f"/v1/kudos/{kudos['id']}/reports", caller("staff"), json={"reason": "check"})
    our_lead = caller("lead", "staff", pools=(POOL,))
    other_lead = caller("lead", "staff", pools=("pool-elsewhere",))

    assert [q["kudos"]["id"] for q in (await rec.call("GET", "/v1/reports", our_lead)).json()] == [ours["id"]]
    assert [q["kudos"]["id"] for q in (await rec.call("GET", "/v1/reports", other_lead)).json()] == [theirs["id"]]
    for action, body in (("hide", {"reason": "not theirs"}), ("keep", None)):
        refused = await rec.call("POST", f"/v1/kudos/{ours['id']}/{action}", other_lead, json=body)
        assert refused.status_code == 403 and "lead of a pool this kudos touches" in refused.json()["detail"]
    assert (await rec.call("GET", f"/v1/kudos/{ours['id']}/audit", other_lead)).status_code == 403
    assert [a["action"] for a in (await rec.call("GET", f"/v1/kudos/{ours['id']}/audit", our_lead)).json()] == [
        "given",
        "reported",
    ]
    assert (await rec.call("GET", f"/v1/kudos/{ours['id']}", caller("staff"))).json()["hidden"] is None

    hidden = await rec.call("POST", f"/v1/kudos/{ours['id']}/hide", our_lead, json={"reason": "ours to judge"})
    assert hidden.status_code == 200
    admin = caller("admin", "staff")
    assert [q["kudos"]["id"] for q in (await rec.call("GET", "/v1/reports", admin)).json()] == [theirs["id"]]
    assert (await rec.call("POST", f"/v1/kudos/{theirs['id']}/keep", admin)).status_code == 204
