"""Privacy in intake: my data holds my requests (also those made for me) and what I wrote; an
erased person's text goes while every insight stays the same; closed requests lose their text
after the organisation's retention period, at once when an admin sets it."""

import uuid
from datetime import UTC, datetime

from services.contracts.identity import AccountErased
from tests.integration.intake.test_insights import load_fixture
from tests.support import caller, eventually

INSIGHTS = "/v1/pools/{pool}/insights?weeks=3&until=2026-03-15"


async def insights(desk) -> dict:
    response = await desk.call(desk.lead(), "GET", INSIGHTS.format(pool=desk.pool_id))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_my_data_holds_my_requests_and_what_i_wrote(desk):
    anna = desk.staff()
    mine = await desk.submit(anna, description="Book the room for the quarterly review")
    other = await desk.submit(desk.staff(), description="Someone else's")
    await desk.call(anna, "POST", f"/v1/requests/{mine['id']}/comments", json={"body": "Thursday works best"})
    held = (await desk.call(anna, "GET", "/v1/people/me/data")).json()
    assert [r["description"] for r in held["requests"]] == ["Book the room for the quarterly review"]
    assert [c["body"] for c in held["comments"]] == ["Thursday works best"]
    assert other["id"] not in str(held)


async def test_an_erased_persons_text_goes_and_the_insights_stay_equal(desk):
    ids = await load_fixture(desk)
    before = await insights(desk)
    assert (await desk.call(desk.lead(), "GET", "/v1/search", params={"q": "fixture"})).json(), "found before"
    erased = AccountErased(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), account_id="staff-a", version=9)
    await desk.publish(erased)

    async def descriptions() -> set[str]:
        return {
            r["description"]
            for r in await desk.db.fetch(
                "SELECT description FROM requests WHERE id = ANY($1)", [uuid.UUID(i) for i in ids]
            )
        }

    await eventually(descriptions, lambda found: found == {""}, within=15)
    assert await insights(desk) == before
    found = await desk.call(desk.lead(), "GET", "/v1/search", params={"q": "fixture"})
    assert found.status_code == 200 and found.json() == [], "nothing of theirs is found by search"


async def test_closed_requests_lose_their_text_after_the_retention_period(desk):
    ids = await load_fixture(desk)  # March 2026: long closed
    fresh = await desk.submit(desk.staff(), description="Still open")
    before = await insights(desk)
    refused = await desk.call(desk.staff(), "PUT", "/v1/retention", json={"closed_request_days": 30})
    assert refused.status_code == 403
    admin = caller("admin", "staff", pools=(desk.pool_id,))
    assert (await desk.call(admin, "PUT", "/v1/retention", json={"closed_request_days": 30})).status_code == 200
    assert (await desk.call(admin, "GET", "/v1/retention")).json() == {"closed_request_days": 30}
    rows = await desk.db.fetch(
        "SELECT status, description FROM requests WHERE id = ANY($1)", [uuid.UUID(i) for i in ids]
    )
    assert {r["description"] for r in rows if r["status"] in ("done", "cancelled")} == {""}
    assert {r["description"] for r in rows if r["status"] not in ("done", "cancelled")} == {"fixture"}
    assert (await desk.get(desk.lead(), fresh["id"]))["description"] == "Still open"
    assert await insights(desk) == before
