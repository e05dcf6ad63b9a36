"""Try before adopting: a proposed policy runs on the pool's own last weeks beside the current
one, with progress while it runs and the same figures for both; nothing changes until saved."""

from tests.integration.routing.conftest import Pool
from tests.support import auth, caller, eventually


async def test_a_member_tries_a_policy_on_the_pools_history_before_adopting_it(routing_pool: Pool):
    pool = routing_pool
    ann = await pool.member("ann", {"agenda": 4, "travel": 2}, capacity=3)
    await pool.member("bob", {"agenda": 2}, capacity=3, learning=("travel",))
    for skill in ("agenda", "agenda", "travel"):
        await pool.live_offer(await pool.submit(skill=skill, min_level=1))
    base = f"/v1/pools/{pool.pool_id}/policy/trials"
    started = await pool.client.post(
        base, json={"fairness_weight": 0.0, "development_share": 0.3, "weeks": 2}, headers=pool.as_member(ann)
    )
    assert started.status_code == 202, started.text
    trial = started.json()
    assert trial["status"] in ("waiting", "running") and trial["changes"]["development_share"] == [0.14, 0.3]

    done = await eventually(
        lambda: pool.client.get(f"{base}/{trial['id']}", headers=pool.as_member(ann)),
        lambda r: r.json()["status"] == "done",
        within=20,
    )
    result = done.json()["result"]
    assert done.json()["progress"] == 1.0
    assert result["requests"] == 3 and result["members"] == 2
    for side in ("current", "proposed"):
        assert set(result[side]) == {
            "mean_minutes",
            "p90_minutes",
            "on_time_share",
            "busy_gini",
            "development_share",
            "unfinished",
        }
    assert [w["requests"] for w in result["weeks"]] == [3]
    policy = (await pool.client.get(f"/v1/pools/{pool.pool_id}/policy", headers=pool.as_member(ann))).json()
    assert policy["version"] == 0  # trying changes nothing


async def test_a_trial_needs_a_change_and_stays_with_the_pool(routing_pool: Pool):
    pool = routing_pool
    ann = await pool.member("ann", {"agenda": 4})
    base = f"/v1/pools/{pool.pool_id}/policy/trials"
    same = await pool.client.post(base, json={"development_share": 0.14}, headers=pool.as_member(ann))
    assert same.status_code == 422 and "change at least one" in same.text
    bad = await pool.client.post(base, json={"weeks": 40, "fairness_weight": 1.0}, headers=pool.as_member(ann))
    assert bad.status_code == 400
    staff = auth(caller("staff", pools=(pool.pool_id,)), "routing")
    assert (await pool.client.post(base, json={"fairness_weight": 1.0}, headers=staff)).status_code == 403
    started = await pool.client.post(base, json={"fairness_weight": 1.0}, headers=pool.as_member(ann))
    other_pool = auth(caller("secretary", pools=("elsewhere",)), "routing")
    elsewhere = await pool.client.get(f"/v1/pools/elsewhere/policy/trials/{started.json()['id']}", headers=other_pool)
    assert elsewhere.status_code == 404
