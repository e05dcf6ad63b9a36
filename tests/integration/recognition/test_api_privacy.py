"""My data download (api_privacy.py): the thanks I gave and received and my reactions."""

from tests.support import caller


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
