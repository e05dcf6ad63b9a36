"""A request's whole life across real processes: submitted over intake's API, offered by
routing, accepted by the member, a question and its answer, done, rated — and the member is
free again in routing."""

import asyncio
import time
import uuid
from typing import Any

import httpx

from services.demo import organisation
from services.platform.tokens import Caller
from tests.support import auth

POOL = "pool-secretariaat"


def person(email: str, *roles: str) -> Caller:
    found = next(p for p in organisation().people if p.email == email)
    return Caller(account_id=found.id, roles=roles or tuple(found.roles), pools=tuple(found.pools))


async def until(probe: Any, check: Any, within: float = 10.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if check(value):
            return value
        assert time.monotonic() < deadline, f"not reached within {within} s: {value}"
        await asyncio.sleep(0.05)


async def test_a_request_is_submitted_offered_accepted_questioned_answered_done_and_rated(processes):
    for name in ("intake", "routing"):
        processes.start(name)
    staff = person("anna@example.org")
    async with (
        httpx.AsyncClient(base_url=processes.url("intake")) as intake,
        httpx.AsyncClient(base_url=processes.url("routing")) as routing,
    ):
        body = {"type_id": "letter", "description": "Brief aan de huurders", "idempotency_key": str(uuid.uuid4())}
        created = await intake.post("/v1/requests/", json=body, headers=auth(staff, "intake"))
        assert created.status_code == 201, created.text
        rid = created.json()["id"]

        async def current() -> dict[str, Any]:
            return dict((await intake.get(f"/v1/requests/{rid}", headers=auth(staff, "intake"))).json())

        offered = await until(current, lambda r: r["status"] == "offered")
        member = next(
            Caller(account_id=p.id, roles=("secretary",), pools=(POOL,))
            for p in organisation().people
            if p.id == offered["member_id"]
        )
        offers = (await routing.get("/v1/members/me/offers", headers=auth(member, "routing"))).json()
        offer = next(o for o in offers if o["request_id"] == rid)
        accepted = await routing.post(f"/v1/offers/{offer['id']}/accept", headers=auth(member, "routing"))
        assert accepted.status_code == 200, accepted.text
        await until(current, lambda r: r["status"] == "in_progress" and r["picked_up_at"])

        as_member, as_staff = auth(member, "intake"), auth(staff, "intake")
        asked = await intake.post(
            f"/v1/requests/{rid}/comments", json={"body": "Welk adres?", "question": True}, headers=as_member
        )
        assert asked.status_code == 201, asked.text
        assert (await current())["status"] == "waiting_on_requester"
        await intake.post(f"/v1/requests/{rid}/comments", json={"body": "Dorpsstraat 1"}, headers=as_staff)
        assert (await current())["status"] == "in_progress"
        done = await intake.post(f"/v1/requests/{rid}/status", json={"status": "done"}, headers=as_member)
        assert done.status_code == 200 and done.json()["status"] == "done"
        rated = await intake.post(f"/v1/requests/{rid}/rating", json={"rating": 5}, headers=as_staff)
        assert rated.status_code == 201

        timeline = (await intake.get(f"/v1/requests/{rid}/timeline", headers=as_staff)).json()
        assert [e["kind"] for e in timeline] == [
            "submitted",
            "offered",
            "accepted",
            "question_asked",
            "answered",
            "done",
            "rated",
        ]

        async def open_work() -> list[Any]:
            offers = (await routing.get("/v1/members/me/offers", headers=auth(member, "routing"))).json()
            return [o for o in offers if o["request_id"] == rid and o["status"] in ("open", "accepted")]

        await until(open_work, lambda work: work == [])  # routing consumed RequestCompleted
