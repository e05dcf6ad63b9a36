"""Thanks tied to the work, across processes: a RequestCompleted published into JetStream the way
intake's outbox relay does invites the requester to thank the member, the buddy and whoever
handed over; one tap puts a kudos on the wall linked to that request."""

from datetime import UTC, datetime

import httpx
import nats

from services.contracts.recognition import KudosGiven, ThanksPrompted
from services.demo import organisation
from tests.integration.recognition import bus
from tests.support import auth, caller, eventually

POOL = "pool-secretariaat"


async def test_completing_a_request_prompts_its_requester_and_one_tap_lands_on_the_wall(processes, nats_url):
    processes.start("recognition")
    people = {p.email.split("@")[0]: p for p in organisation().people}
    member, buddy, handed_over = people["sanne"].id, people["fatima"].id, people["joost"].id
    requester = caller("staff", pools=(POOL,), account_id=people["anna"].id)
    done_at = datetime.now(UTC)
    request_id = "e2e-" + done_at.strftime("%H%M%S%f")
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        done = bus.completed(
            request_id=request_id,
            requester_id=requester.account_id,
            member_id=member,
            helper_ids=[buddy, handed_over],
            occurred_at=done_at,
            type_id="agenda-meeting",
        )
        await bus.publish(js, done)

        async with httpx.AsyncClient(base_url=processes.url("recognition")) as http:

            async def prompts_of(who) -> list[dict[str, object]]:
                return (await http.get("/v1/prompts/", headers=auth(who, "recognition"))).json()

            [prompt] = await eventually(lambda: prompts_of(requester), lambda p: len(p) == 1, within=10)
            assert prompt["request_id"] == request_id
            assert prompt["recipient_ids"] == [member, buddy, handed_over]
            for worker in (member, buddy, handed_over):
                assert await prompts_of(caller("secretary", pools=(POOL,), account_id=worker)) == []
            [announced] = await bus.recorded(js, ThanksPrompted, within=10)
            assert (announced.prompt_id, announced.requester_id) == (prompt["id"], requester.account_id)

            tapped = await http.post(f"/v1/prompts/{prompt['id']}/kudos", headers=auth(requester, "recognition"))
            assert tapped.status_code == 201, tapped.text
            wall = (await http.get("/v1/wall", headers=auth(caller("staff"), "recognition"))).json()["items"]
            assert wall[0]["id"] == tapped.json()["id"]
            assert wall[0]["recipient_ids"] == [member, buddy, handed_over]
            assert wall[0]["request_id"] == request_id and wall[0]["request"]["type_id"] == "agenda-meeting"
            sanne = caller("secretary", pools=(POOL,), account_id=member)
            mine = (await http.get("/v1/me/kudos", headers=auth(sanne, "recognition"))).json()["items"]
            assert [(k["id"], k["request"]["id"]) for k in mine] == [(tapped.json()["id"], request_id)]
            assert await prompts_of(requester) == []

        [given] = await bus.recorded(js, KudosGiven, within=10)
        assert (given.kudos_id, given.prompt_id, given.request_id) == (tapped.json()["id"], prompt["id"], request_id)
        assert POOL in given.pool_ids
    finally:
        await nc.close()
