"""The main path in-process: a submitted request is stored, routed and offered, and intake
records the offer — over real PostgreSQL and NATS, through the outbox and the consumers."""

import uuid

from services.platform.tokens import new_key_pair
from tests.support import auth, caller, eventually

POOL = "pool-secretariaat"


def new_request(**overrides: object) -> dict[str, object]:
    return {
        "type_id": "agenda-meeting",
        "description": "Plan the quarterly review",
        "idempotency_key": str(uuid.uuid4()),
        **overrides,
    }


async def test_a_submitted_request_is_offered_to_a_member_and_intake_records_it(services):
    clients = await services("intake", "routing", demo=True)
    intake = clients["intake"]
    staff = caller("staff", pools=(POOL,))
    created = await intake.post("/v1/requests/", json=new_request(), headers=auth(staff, "intake"))
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]

    async def fetch() -> dict[str, object]:
        return (await intake.get(f"/v1/requests/{request_id}", headers=auth(staff, "intake"))).json()

    offered = await eventually(fetch, lambda r: r["status"] == "offered", within=5)
    assert offered["member_id"]
    timeline = (await intake.get(f"/v1/requests/{request_id}/timeline", headers=auth(staff, "intake"))).json()
    assert [e["kind"] for e in timeline] == ["submitted", "offered"]


async def test_the_same_idempotency_key_returns_the_same_request(services):
    intake = (await services("intake", demo=True))["intake"]
    staff = caller("staff", pools=(POOL,))
    body = new_request()
    first = await intake.post("/v1/requests/", json=body, headers=auth(staff, "intake"))
    again = await intake.post("/v1/requests/", json={**body, "description": "changed"}, headers=auth(staff, "intake"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["description"] == "Plan the quarterly review"
    mine = (await intake.get("/v1/requests/", headers=auth(staff, "intake"))).json()
    assert len(mine) == 1


async def test_a_malformed_body_gets_a_4xx_naming_what_is_wrong(services):
    intake = (await services("intake", demo=True))["intake"]
    headers = auth(caller("staff", pools=(POOL,)), "intake")
    missing = await intake.post("/v1/requests/", json={"type_id": "agenda-meeting"}, headers=headers)
    assert missing.status_code == 400
    assert "description" in missing.text
    wrong_type = await intake.post("/v1/requests/", json=new_request(urgency="yesterday"), headers=headers)
    assert wrong_type.status_code == 400 and "urgency" in wrong_type.text
    not_json = await intake.post(
        "/v1/requests/", content=b"{nope", headers={**headers, "content-type": "application/json"}
    )
    assert 400 <= not_json.status_code < 500
    unknown = await intake.post("/v1/requests/", json=new_request(type_id="teleportation"), headers=headers)
    assert unknown.status_code == 422 and "type_id" in unknown.json()["detail"]


async def test_services_refuse_calls_without_a_valid_token_for_them(services):
    intake = (await services("intake"))["intake"]
    assert (await intake.get("/v1/requests/")).status_code == 401
    wrong_audience = auth(caller("staff"), "routing")
    assert (await intake.get("/v1/requests/", headers=wrong_audience)).status_code == 401
    forged = auth(caller("staff"), "intake", key=new_key_pair()[0])
    assert (await intake.get("/v1/requests/", headers=forged)).status_code == 401
    assert (await intake.get("/health")).status_code == 200
