"""The organisation's values (api_admin.py): read by all, set and retired by an admin; kudos keep a
retired tag."""

from tests.support import caller


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
