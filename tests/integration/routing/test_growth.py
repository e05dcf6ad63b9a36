"""Growth made visible: a member's own page (levels over time, learning goals and how far along,
development assignments with their buddy) answers that member alone — 404 for anyone else, the
lead too; the pool's coverage counts members per skill and level and flags thin skills."""

from tests.integration.routing.conftest import Pool
from tests.support import auth, caller, eventually


async def test_my_growth_shows_my_levels_goals_and_development_to_me_alone(routing_pool: Pool):
    pool = routing_pool
    ann = await pool.member("ann", {"agenda": 4, "minutes": 2})
    bob = await pool.member("bob", {"travel": 3}, learning=("agenda",))
    cas = await pool.member("cas", {"events": 3})
    request_id = await pool.submit()
    offer = await pool.live_offer(request_id)
    assert (offer["member_id"], offer["development"], offer["buddy_id"]) == (bob, True, ann)
    await pool.complete(request_id)
    proposal = await pool.client.post(
        "/v1/skill-proposals",
        json={"member_id": bob, "skill": "travel", "level": 4, "why": "Great trips"},
        headers=pool.as_member(ann),
    )
    confirmed = await pool.client.post(
        f"/v1/skill-proposals/{proposal.json()['id']}/confirm", headers=pool.as_member(cas)
    )
    assert confirmed.status_code == 200, confirmed.text

    mine = await eventually(
        lambda: pool.client.get(f"/v1/members/{bob}/growth", headers=pool.as_member(bob)),
        lambda r: r.status_code == 200 and r.json()["development"],
    )
    growth = mine.json()
    [goal] = growth["goals"]
    assert (goal["skill"], goal["level"], goal["done_in_skill"], goal["toward_next"], goal["per_level"]) == (
        "agenda",
        0,
        1,
        1,
        8,
    )
    assert goal["development_done"] == 1
    [done] = growth["development"]
    assert (done["request_id"], done["skill"], done["buddy_id"]) == (request_id, "agenda", ann)
    travel = next(s for s in growth["skills"] if s["skill"] == "travel")
    assert travel["level"] == 4
    assert [(c["from_level"], c["to_level"], c["source"]) for c in travel["changes"]] == [(3, 4, "confirmed")]

    lead = auth(caller("lead", pools=(pool.pool_id,)), "routing")
    for someone_else in (pool.as_member(ann), lead, auth(caller("admin"), "routing")):
        hidden = await pool.client.get(f"/v1/members/{bob}/growth", headers=someone_else)
        assert hidden.status_code == 404
    nobody = await pool.client.get("/v1/members/no-such-member/growth", headers=pool.as_member(ann))
    assert nobody.status_code == 404


async def test_the_pools_coverage_counts_per_level_and_flags_skills_on_one_or_two_people(routing_pool: Pool):
    pool = routing_pool
    ann = await pool.member("ann", {"agenda": 4, "events": 5})
    await pool.member("bob", {"agenda": 3, "travel": 2}, learning=("events",))
    await pool.member("cas", {"agenda": 5, "travel": 1})
    response = await pool.client.get(f"/v1/pools/{pool.pool_id}/coverage", headers=pool.as_member(ann))
    assert response.status_code == 200
    found = {c["skill"]: c for c in response.json()}
    assert found["agenda"]["by_level"] == [0, 0, 1, 1, 1] and found["agenda"]["holders"] == 3
    assert not found["agenda"]["at_risk"]
    assert found["events"]["holders"] == 1 and found["events"]["learners"] == 1 and found["events"]["at_risk"]
    assert found["travel"]["holders"] == 0 and found["travel"]["by_level"] == [1, 1, 0, 0, 0]
    assert ann not in response.text
    staff = auth(caller("staff", pools=(pool.pool_id,)), "routing")
    assert (await pool.client.get(f"/v1/pools/{pool.pool_id}/coverage", headers=staff)).status_code == 403
