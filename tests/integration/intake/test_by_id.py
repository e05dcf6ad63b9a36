"""Several requests in one call (`GET /v1/requests/by-id`): the caller gets those they may see,
with the same view as one at a time, and the rest are left out; a wrong list is refused."""

import uuid

from tests.support import caller


async def test_several_requests_come_back_in_one_call_and_only_those_the_caller_may_see(desk):
    anna, bram = desk.staff(), desk.staff()
    annas = [await desk.submit(anna, description=f"Letter {n}") for n in range(2)]
    brams = await desk.submit(bram)
    ids = [r["id"] for r in [*annas, brams]] + [str(uuid.uuid4())]

    async def asked_by(who) -> list[dict]:
        response = await desk.call(who, "GET", "/v1/requests/by-id", params={"id": ids})
        assert response.status_code == 200, response.text
        return list(response.json())

    mine = await asked_by(anna)
    assert sorted(r["id"] for r in mine) == sorted(r["id"] for r in annas)
    one = (await desk.call(anna, "GET", f"/v1/requests/{annas[0]['id']}")).json()
    assert next(r for r in mine if r["id"] == one["id"]) == one
    assert {r["id"] for r in await asked_by(desk.member())} == {r["id"] for r in [*annas, brams]}
    assert await asked_by(caller("secretary", pools=("pool-elsewhere",))) == []


async def test_a_wrong_list_of_ids_is_refused_with_a_reason(desk):
    staff = desk.staff()
    too_many = {"id": [str(uuid.uuid4()) for _ in range(101)]}
    for params, reason in (
        (too_many, "Expected `array` of length <= 100"),
        ({}, "Missing required query parameter 'id'"),
        ({"id": "not-an-id"}, "Invalid UUID"),
    ):
        response = await desk.call(staff, "GET", "/v1/requests/by-id", params=params)
        assert response.status_code == 400, (params, response.text)
        assert reason in response.text, response.text
