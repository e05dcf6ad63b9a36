"""What the pool owns: its policy (with a visible history), skill levels (one proposes,
another confirms, or experience raises them), learning goals, and the lead's queue."""

import uuid
from datetime import UTC, datetime, timedelta

from services.contracts.intake import SlaAtRisk
from services.routing import escalation
from tests.integration.routing.conftest import Pool
from tests.support import auth, caller, eventually


async def test_the_pool_changes_its_policy_and_everyone_sees_who_when_why_and_what(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4})
    change = {"development_share": 0.25, "continuity_weight": 1.5, "why": "More room to learn this quarter"}
    response = await routing_pool.client.put(
        f"/v1/pools/{routing_pool.pool_id}/policy", json=change, headers=routing_pool.as_member(ann)
    )
    assert response.status_code == 200, response.text
    assert response.json()["policy"]["development_share"] == 0.25 and response.json()["version"] == 1
    staff = auth(caller("staff", pools=(routing_pool.pool_id,)), "routing")
    history = (await routing_pool.client.get(f"/v1/pools/{routing_pool.pool_id}/policy/changes", headers=staff)).json()
    assert [(h["changed_by"], h["why"]) for h in history] == [(ann, "More room to learn this quarter")]
    assert history[0]["changes"] == {"development_share": [0.14, 0.25], "continuity_weight": [0.3, 1.5]}
    same = await routing_pool.client.put(
        f"/v1/pools/{routing_pool.pool_id}/policy",
        json={"why": "no change", "development_share": 0.25},
        headers=routing_pool.as_member(ann),
    )
    assert same.status_code == 422 and "same as the current" in same.text
    refused = await routing_pool.client.put(
        f"/v1/pools/{routing_pool.pool_id}/policy",
        json={"why": "everything to learners", "development_share": 0.9},
        headers=routing_pool.as_member(ann),
    )
    assert refused.status_code == 400 and "development_share" in refused.text
    outsider = await routing_pool.client.put(f"/v1/pools/{routing_pool.pool_id}/policy", json=change, headers=staff)
    assert outsider.status_code == 403


async def test_a_skill_level_needs_a_second_member_to_confirm_it(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4})
    bob = await routing_pool.member("bob", {"minutes": 2})
    proposal = await routing_pool.client.post(
        "/v1/skill-proposals",
        json={"member_id": bob, "skill": "minutes", "level": 3, "why": "Great minutes lately"},
        headers=routing_pool.as_member(ann),
    )
    assert proposal.status_code == 201, proposal.text
    proposal_id = proposal.json()["id"]
    own = await routing_pool.client.post(
        f"/v1/skill-proposals/{proposal_id}/confirm", headers=routing_pool.as_member(ann)
    )
    assert own.status_code == 422 and "another member" in own.json()["detail"]
    confirmed = await routing_pool.client.post(
        f"/v1/skill-proposals/{proposal_id}/confirm", headers=routing_pool.as_member(bob)
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    me = (await routing_pool.client.get("/v1/members/me", headers=routing_pool.as_member(bob))).json()
    assert me["skills"]["minutes"] == 3


async def test_eight_completed_requests_in_a_skill_raise_its_level(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 2}, capacity=10)
    for _ in range(8):
        request_id = await routing_pool.submit()
        await routing_pool.live_offer(request_id)
        await routing_pool.complete(request_id)
    me = await eventually(
        lambda: routing_pool.client.get("/v1/members/me", headers=routing_pool.as_member(ann)),
        lambda r: r.json()["experience"].get("agenda") == 8,
    )
    assert me.json()["skills"]["agenda"] == 3


async def test_a_member_sets_their_own_learning_goals(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 2})
    response = await routing_pool.client.put(
        "/v1/members/me/learning", json={"skills": ["events", "minutes"]}, headers=routing_pool.as_member(ann)
    )
    assert response.json()["learning"] == ["events", "minutes"]


async def test_a_long_wait_moves_the_request_to_the_leads_queue_and_the_lead_assigns_it(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"events": 4}, capacity=1)
    busy = await routing_pool.submit(skill="events")
    await routing_pool.live_offer(busy)
    request_id = await routing_pool.submit(skill="events", min_level=3)
    await eventually(
        lambda: routing_pool.db.fetchval("SELECT queued_at FROM requests WHERE request_id = $1", request_id),
        lambda at: at is not None,
    )
    lead = auth(caller("lead", pools=(routing_pool.pool_id,)), "routing")
    assert (await routing_pool.client.get(f"/v1/pools/{routing_pool.pool_id}/lead-queue", headers=lead)).json() == []
    async with routing_pool.db.acquire() as conn, conn.transaction():
        moved = await escalation.escalate_waiting(conn, datetime.now(UTC) + timedelta(hours=1))
    assert moved == 1
    queue = (await routing_pool.client.get(f"/v1/pools/{routing_pool.pool_id}/lead-queue", headers=lead)).json()
    assert [q["request_id"] for q in queue] == [request_id]
    events = await routing_pool.db.fetch("SELECT subject FROM outbox ORDER BY id")
    assert [e["subject"] for e in events].count("secpool.routing.request.queued") == 2  # pool queue, then lead
    lotte = await routing_pool.member("lotte", {"events": 4})
    assigned = await routing_pool.client.post(
        f"/v1/requests/{request_id}/assign", json={"member_id": lotte}, headers=lead
    )
    assert assigned.status_code == 200, assigned.text
    assert (await routing_pool.live_offer(request_id))["member_id"] == lotte
    assert ann != lotte


async def test_sla_at_risk_sends_a_waiting_request_to_the_lead_at_once(routing_pool: Pool):
    request_id = await routing_pool.submit(skill="events", min_level=3)
    await eventually(
        lambda: routing_pool.db.fetchval("SELECT state FROM requests WHERE request_id = $1", request_id),
        lambda s: s == "waiting",
    )
    await routing_pool.publish(
        SlaAtRisk(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=request_id,
            version=3,
            pool_id=routing_pool.pool_id,
            level="pickup",
            due_at=datetime.now(UTC),
        )
    )
    await eventually(
        lambda: routing_pool.db.fetchval("SELECT lead_queue FROM requests WHERE request_id = $1", request_id),
        lambda flag: flag is True,
    )


async def test_every_decision_is_explained_to_the_pool_with_reasons_and_counts_only(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 5})
    bob = await routing_pool.member("bob", {"agenda": 1})
    request_id = await routing_pool.submit()
    await routing_pool.live_offer(request_id)
    response = await routing_pool.client.get(
        f"/v1/requests/{request_id}/decisions", headers=routing_pool.as_member(ann)
    )
    [decision] = response.json()
    assert decision["member_id"] == ann
    assert decision["reasons"][0]["code"] == "finishes_soonest"
    assert decision["others"] == {"below_level": 1}
    assert set(decision) == {"at", "member_id", "development", "buddy_id", "reasons", "others", "offers_before"}
    assert bob not in response.text and "score" not in response.text
    staff = auth(caller("staff", pools=(routing_pool.pool_id,)), "routing")
    hidden = await routing_pool.client.get(f"/v1/requests/{request_id}/decisions", headers=staff)
    assert hidden.status_code == 403
