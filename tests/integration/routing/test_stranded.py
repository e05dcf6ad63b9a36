"""Nothing stranded: a request nobody can take goes to the lead's queue at once, with the reasons
counted (never who), and back to routing as soon as someone can take it; the requester is told
when to expect a pick-up, and that estimate follows who is present and how busy they are."""

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from services.contracts.routing import PickupExpected, RequestOffered, RequestQueued
from tests.integration.routing.conftest import Pool
from tests.support import auth, caller, eventually


async def events(pool: Pool, subject: str) -> list[Any]:
    rows = await pool.db.fetch("SELECT payload FROM outbox WHERE subject = $1 ORDER BY id", subject)
    kind = RequestQueued if subject.endswith("queued") else PickupExpected
    return [msgspec.json.decode(r["payload"], type=kind) for r in rows]


async def decline(pool: Pool, offer: dict[str, Any], reason: str = "busy") -> None:
    response = await pool.client.post(
        f"/v1/offers/{offer['id']}/decline", json={"reason": reason}, headers=pool.as_member(offer["member_id"])
    )
    assert response.status_code == 200, response.text


async def test_when_everyone_declined_the_request_reaches_the_leads_queue_at_once(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4})
    bob = await routing_pool.member("bob", {"agenda": 3})
    await routing_pool.member("cas", {"travel": 3})
    request_id = await routing_pool.submit()
    await decline(routing_pool, await routing_pool.live_offer(request_id))
    await decline(routing_pool, await routing_pool.live_offer(request_id))
    lead = auth(caller("lead", pools=(routing_pool.pool_id,)), "routing")
    queue = await eventually(
        lambda: routing_pool.client.get(f"/v1/pools/{routing_pool.pool_id}/lead-queue", headers=lead),
        lambda r: len(r.json()) == 1,
        within=3,
    )
    assert queue.json()[0]["request_id"] == request_id
    assert [r["code"] for r in queue.json()[0]["reasons"]] == ["nobody"]
    assert queue.json()[0]["others"] == {"declined": 2, "below_level": 1}  # counted, never named
    [queued] = [e for e in await events(routing_pool, "secpool.routing.request.queued") if e.lead_queue]
    assert queued.request_id == request_id
    assert [r.code for r in queued.reasons] == ["nobody"]
    assert queued.counts == {"declined": 2, "below_level": 1}
    assert ann not in queued.why and bob not in queued.why
    pickups = [e for e in await events(routing_pool, "secpool.routing.request.pickup_expected")]
    assert (pickups[-1].basis, pickups[-1].reason, pickups[-1].latest_at) == ("lead", "with_lead", None)


async def test_a_request_nobody_present_can_take_goes_to_the_lead_and_comes_back_when_someone_is(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4})
    away = await routing_pool.client.put(
        "/v1/members/me/presence", json={"presence": "away"}, headers=routing_pool.as_member(ann)
    )
    assert away.status_code == 200
    request_id = await routing_pool.submit()
    await eventually(
        lambda: routing_pool.db.fetchval("SELECT lead_queue FROM requests WHERE request_id = $1", request_id),
        lambda flag: flag is True,
        within=3,
    )
    [queued] = [e for e in await events(routing_pool, "secpool.routing.request.queued") if e.lead_queue]
    assert queued.counts == {"away": 1}
    back = await routing_pool.client.put(
        "/v1/members/me/presence", json={"presence": "available"}, headers=routing_pool.as_member(ann)
    )
    assert back.status_code == 200
    assert (await routing_pool.live_offer(request_id))["member_id"] == ann
    lead = auth(caller("lead", pools=(routing_pool.pool_id,)), "routing")
    assert (await routing_pool.client.get(f"/v1/pools/{routing_pool.pool_id}/lead-queue", headers=lead)).json() == []
    assert await routing_pool.db.fetchval("SELECT lead_queue FROM requests WHERE request_id = $1", request_id) is False


async def test_a_request_waiting_for_a_busy_member_stays_in_the_pool_queue_with_an_expected_pick_up(
    routing_pool: Pool,
):
    ann = await routing_pool.member("ann", {"agenda": 4}, capacity=3)
    first = await routing_pool.submit(work_minutes=90)
    offer = await routing_pool.live_offer(first)
    await routing_pool.client.post(f"/v1/offers/{offer['id']}/accept", headers=routing_pool.as_member(ann))
    second = await routing_pool.submit()

    async def expected() -> list[PickupExpected]:
        found = await events(routing_pool, "secpool.routing.request.pickup_expected")
        return [e for e in found if e.request_id == second]

    [estimate] = await eventually(expected, lambda found: len(found) == 1, within=3)
    assert (estimate.basis, estimate.reason) == ("queue", "all_busy")
    assert estimate.earliest_at is not None and estimate.latest_at is not None
    # 90 minutes of accepted work, and new work is taken on once an hour is left: about 30 minutes from now.
    now = datetime.now(UTC)
    assert estimate.earliest_at < now + timedelta(minutes=30) < estimate.latest_at < now + timedelta(minutes=60)
    assert await routing_pool.db.fetchval("SELECT lead_queue FROM requests WHERE request_id = $1", second) is False
    await routing_pool.complete(first)
    assert (await routing_pool.live_offer(second))["member_id"] == ann


async def test_an_offer_carries_the_expected_pick_up_and_sends_no_estimate_of_its_own(routing_pool: Pool):
    await routing_pool.member("ann", {"agenda": 4})
    request_id = await routing_pool.submit()
    offer = await routing_pool.live_offer(request_id)
    offered = [
        msgspec.json.decode(r["payload"], type=RequestOffered)
        for r in await routing_pool.db.fetch(
            "SELECT payload FROM outbox WHERE subject = 'secpool.routing.request.offered'"
        )
    ]
    [event] = [e for e in offered if e.request_id == request_id]
    assert event.offer_id == str(offer["id"])
    assert [
        e for e in await events(routing_pool, "secpool.routing.request.pickup_expected") if e.request_id == request_id
    ] == []
    # Routing remembers the "now" it implies, to tell whether a later estimate moved.
    row = await routing_pool.db.fetchrow(
        "SELECT pickup_basis, pickup_earliest, pickup_latest FROM requests WHERE request_id = $1", request_id
    )
    assert (row["pickup_basis"], row["pickup_earliest"], row["pickup_latest"]) == (
        "now",
        event.occurred_at,
        event.expires_at,
    )
