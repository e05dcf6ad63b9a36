"""Offers: accept, decline to the next candidate, time out, hand back on going off duty,
queue when nobody is eligible and offer as soon as someone frees up."""

import asyncio

from tests.integration.routing.conftest import Pool
from tests.support import eventually


async def test_accepting_an_offer_assigns_the_request(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4})
    request_id = await routing_pool.submit()
    offer = await routing_pool.live_offer(request_id)
    assert offer["member_id"] == ann
    response = await routing_pool.client.post(f"/v1/offers/{offer['id']}/accept", headers=routing_pool.as_member(ann))
    assert response.status_code == 200
    assert (await routing_pool.offers(request_id))[0]["status"] == "accepted"
    again = await routing_pool.client.post(f"/v1/offers/{offer['id']}/accept", headers=routing_pool.as_member(ann))
    assert again.status_code == 409 and "no longer open" in again.json()["detail"]


async def test_a_declined_offer_goes_to_the_next_candidate_with_the_reason_kept(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 5})
    bob = await routing_pool.member("bob", {"agenda": 3})
    request_id = await routing_pool.submit()
    first = await routing_pool.live_offer(request_id)
    declined_by = first["member_id"]
    other = bob if declined_by == ann else ann
    response = await routing_pool.client.post(
        f"/v1/offers/{first['id']}/decline",
        json={"reason": "I am in a meeting all day"},
        headers=routing_pool.as_member(declined_by),
    )
    assert response.status_code == 200
    second = await routing_pool.live_offer(request_id)
    assert second["member_id"] == other
    offers = await routing_pool.offers(request_id)
    assert offers[0]["status"] == "declined" and offers[0]["reason"] == "I am in a meeting all day"


async def test_only_the_member_offered_may_answer(routing_pool: Pool):
    await routing_pool.member("ann", {"agenda": 5})
    request_id = await routing_pool.submit()
    offer = await routing_pool.live_offer(request_id)
    response = await routing_pool.client.post(
        f"/v1/offers/{offer['id']}/accept", headers=routing_pool.as_member("intruder")
    )
    assert response.status_code == 403


async def test_an_unanswered_offer_times_out_to_the_next_candidate(routing_pool: Pool):
    await routing_pool.policy(offer_timeout_seconds=1)
    await routing_pool.member("ann", {"agenda": 5})
    await routing_pool.member("bob", {"agenda": 5})
    request_id = await routing_pool.submit()
    first = await routing_pool.live_offer(request_id)
    offers = await eventually(lambda: routing_pool.offers(request_id), lambda o: len(o) == 2, within=8)
    assert offers[0]["status"] == "expired" and offers[0]["member_id"] == first["member_id"]
    assert offers[1]["status"] == "open" and offers[1]["member_id"] != first["member_id"]


async def test_going_off_duty_hands_back_open_offers_at_once(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 5}, capacity=3)
    bob = await routing_pool.member("bob", {"agenda": 2}, capacity=3)
    request_id = await routing_pool.submit()
    assert (await routing_pool.live_offer(request_id))["member_id"] == ann
    response = await routing_pool.client.put(
        "/v1/members/me/presence", json={"presence": "off_duty"}, headers=routing_pool.as_member(ann)
    )
    assert response.status_code == 200 and response.json()["presence"] == "off_duty"
    assert (await routing_pool.live_offer(request_id))["member_id"] == bob
    assert (await routing_pool.offers(request_id))[0]["status"] == "withdrawn"


async def test_nobody_eligible_queues_the_request_until_a_member_frees_up(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4}, capacity=1)
    first = await routing_pool.submit()
    assert (await routing_pool.live_offer(first))["member_id"] == ann
    waiting = await routing_pool.submit()
    queue = await eventually(
        lambda: routing_pool.client.get(f"/v1/pools/{routing_pool.pool_id}/queue", headers=routing_pool.as_member(ann)),
        lambda r: r.status_code == 200 and len(r.json()) == 1,
    )
    assert queue.json()[0]["request_id"] == waiting and queue.json()[0]["position"] == 1
    assert await routing_pool.offers(waiting) == []
    await routing_pool.complete(first)
    assert (await routing_pool.live_offer(waiting))["member_id"] == ann


async def test_the_queue_offers_the_most_urgent_then_the_oldest_first(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4}, capacity=1)
    busy = await routing_pool.submit()
    await routing_pool.live_offer(busy)
    old_normal = await routing_pool.submit(urgency="normal")
    await asyncio.sleep(0.01)  # distinct submission times, not synchronisation
    new_high = await routing_pool.submit(urgency="high")
    await eventually(
        lambda: routing_pool.db.fetchval("SELECT count(*) FROM requests WHERE state = 'waiting'"), lambda n: n == 2
    )
    await routing_pool.complete(busy)
    assert (await routing_pool.live_offer(new_high))["member_id"] == ann
    assert await routing_pool.offers(old_normal) == []


async def test_a_member_is_never_offered_work_beyond_capacity_or_in_a_language_they_lack(routing_pool: Pool):
    await routing_pool.policy(hold_after_minutes=0.0)  # offer while anyone has room, however busy
    ann = await routing_pool.member("ann", {"agenda": 4}, capacity=2, languages=("nl",))
    english = await routing_pool.submit(language="en")
    requests = [await routing_pool.submit() for _ in range(4)]
    await eventually(lambda: routing_pool.db.fetchval("SELECT count(*) FROM requests"), lambda n: n == 5)
    await eventually(
        lambda: routing_pool.db.fetchval("SELECT open_count FROM members WHERE id = $1", ann), lambda n: n == 2
    )
    live = await routing_pool.db.fetchval(
        "SELECT count(*) FROM offers WHERE member_id = $1 AND status IN ('open', 'accepted')", ann
    )
    assert live == 2
    assert await routing_pool.offers(english) == []
    assert len(requests) == 4


async def test_with_consent_going_away_hands_back_accepted_work_to_a_colleague(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 5}, capacity=3)
    bob = await routing_pool.member("bob", {"agenda": 2}, capacity=3)
    request_id = await routing_pool.submit()
    offer = await routing_pool.live_offer(request_id)
    assert offer["member_id"] == ann
    await routing_pool.client.post(f"/v1/offers/{offer['id']}/accept", headers=routing_pool.as_member(ann))
    kept = await routing_pool.client.put(
        "/v1/members/me/presence", json={"presence": "away"}, headers=routing_pool.as_member(ann)
    )
    assert kept.status_code == 200
    assert (await routing_pool.live_offer(request_id))["member_id"] == ann  # accepted work stays without consent
    await routing_pool.client.put(
        "/v1/members/me/presence", json={"presence": "available"}, headers=routing_pool.as_member(ann)
    )
    handed = await routing_pool.client.put(
        "/v1/members/me/presence",
        json={"presence": "off_duty", "hand_back_work": True},
        headers=routing_pool.as_member(ann),
    )
    assert handed.status_code == 200
    assert (await routing_pool.live_offer(request_id))["member_id"] == bob
    assert await routing_pool.db.fetchval("SELECT open_count FROM members WHERE id = $1", ann) == 0
