"""Request types, the "what" set by leads: create, edit, retire (keeping history) and
reinstate, with readable refusals."""

from tests.support import caller

NEW = {
    "name_nl": "Reservering lunchruimte",
    "name_en": "Book the lunch room",
    "description_nl": "Voor een groep",
    "description_en": "For a group",
    "skill": "events",
    "min_level": 2,
    "extra_skills": ["agenda"],
    "language": "any",
    "pickup_minutes": 120,
    "complete_minutes": 480,
    "minutes_saved": 25,
    "work_minutes": 15,
}


async def test_a_lead_creates_edits_retires_and_reinstates_a_type_with_its_history(desk):
    lead, staff = desk.lead(), desk.staff()
    created = await desk.call(lead, "POST", "/v1/request-types/", json={**NEW, "pool_id": desk.pool_id})
    assert created.status_code == 201, created.text
    rtype = created.json()
    assert rtype["id"] == "book-the-lunch-room" and rtype["name"] == {"nl": NEW["name_nl"], "en": NEW["name_en"]}
    type_id = rtype["id"]
    request = await desk.submit(staff, type_id=type_id)
    assert request["type_name"]["en"] == "Book the lunch room"

    edited = await desk.call(lead, "PUT", f"/v1/request-types/{type_id}", json={**NEW, "minutes_saved": 40})
    assert edited.status_code == 200 and edited.json()["minutes_saved"] == 40
    retired = await desk.call(lead, "POST", f"/v1/request-types/{type_id}/retire")
    assert retired.status_code == 200 and retired.json()["retired"]
    listed = [t["id"] for t in (await desk.call(staff, "GET", "/v1/request-types/")).json()]
    assert type_id not in listed and "agenda-meeting" in listed
    everything = (await desk.call(staff, "GET", "/v1/request-types/", params={"include_retired": "true"})).json()
    assert type_id in [t["id"] for t in everything]
    refused = await desk.call(
        staff, "POST", "/v1/requests/", json={"type_id": type_id, "description": "x", "idempotency_key": "k" * 10}
    )
    assert refused.status_code == 422 and refused.json()["detail"].startswith("type_id:")
    # Its history stays: the request made before is still there, with its type's name.
    assert (await desk.get(staff, request["id"]))["type_name"]["en"] == "Book the lunch room"
    locked = await desk.call(lead, "PUT", f"/v1/request-types/{type_id}", json=NEW)
    assert locked.status_code == 409 and "reinstate" in locked.json()["detail"]
    again = await desk.call(lead, "POST", f"/v1/request-types/{type_id}/retire")
    assert again.status_code == 409
    assert (await desk.call(lead, "POST", f"/v1/request-types/{type_id}/reinstate")).status_code == 200

    history = (await desk.call(staff, "GET", f"/v1/request-types/{type_id}/history")).json()
    assert [h["kind"] for h in history] == ["created", "edited", "retired", "reinstated"]
    assert history[1]["fields"] == {"minutes_saved": 40} and history[1]["actor_id"] == lead.account_id


async def test_only_a_lead_of_the_types_pool_manages_it(desk):
    body = {**NEW, "pool_id": desk.pool_id}
    for who in (desk.staff(), desk.member(), caller("lead", pools=("pool-elsewhere",))):
        refused = await desk.call(who, "POST", "/v1/request-types/", json=body)
        assert refused.status_code == 403 and "lead" in refused.json()["detail"]
        assert (await desk.call(who, "POST", "/v1/request-types/letter/retire")).status_code == 403
        assert (await desk.call(who, "PUT", "/v1/request-types/letter", json=NEW)).status_code == 403


async def test_type_validation_names_the_field(desk):
    lead = desk.lead()

    async def create(**changes: object) -> tuple[int, str]:
        response = await desk.call(lead, "POST", "/v1/request-types/", json={**NEW, "pool_id": desk.pool_id, **changes})
        return response.status_code, response.text

    status, text = await create(min_level=6)
    assert status == 400 and "min_level" in text
    status, text = await create(pickup_minutes=600, complete_minutes=60)
    assert status == 422 and "complete_minutes" in text
    status, text = await create(extra_skills=["events"])
    assert status == 422 and "extra_skills" in text
    status, text = await create(skill="Has Spaces")
    assert status == 400 and "skill" in text
    status, text = await create(id="letter")
    assert status == 409 and "already exists" in text
    assert (await desk.call(lead, "GET", "/v1/request-types/no-such-type")).status_code == 404


async def test_an_admin_keeps_request_types_too_and_a_lead_of_another_pool_does_not(desk):
    admin = caller("admin")
    other_lead = caller("lead", pools=("pool-elsewhere",))
    refused = await desk.call(other_lead, "POST", "/v1/request-types/", json={**NEW, "pool_id": desk.pool_id})
    assert refused.status_code == 403
    created = await desk.call(admin, "POST", "/v1/request-types/", json={**NEW, "pool_id": desk.pool_id})
    assert created.status_code == 201, created.text
    edited = await desk.call(
        admin, "PUT", f"/v1/request-types/{created.json()['id']}", json={**NEW, "minutes_saved": 5}
    )
    assert edited.status_code == 200
