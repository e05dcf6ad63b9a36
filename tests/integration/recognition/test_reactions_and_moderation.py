"""Reactions (one per person, can be taken back) and moderation (anyone reports, a lead or admin
hides with a reason, the giver is told, the audit trail keeps it; a lead only kudos that touch
their own pool) over the API."""

from services.contracts.recognition import KudosHidden, KudosReacted, KudosReported
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import caller, new_id


def tally(kudos: dict[str, object]) -> dict[str, int]:
    return {r["emoji"]: r["count"] for r in kudos["reactions"] if r["count"]}  # type: ignore[attr-defined, index]


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
