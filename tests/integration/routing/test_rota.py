"""Working hours, absence and public holidays through routing's API: a member off shift or
absent gets no offer, the pool's holidays come from the Dutch calendar and can be edited, and
only the member, their lead or an admin arranges a member's rota."""

import uuid
from datetime import UTC, date, datetime, timedelta

from services.routing import store, store_rota
from services.routing.shifts import NO_WEEK
from tests.integration.routing.conftest import Pool
from tests.support import auth, caller, new_id

WHOLE_WEEK = {"days": [[[0, 1440]]] * 7}


async def test_only_an_on_shift_present_member_gets_the_offer(routing_pool: Pool):
    pool = routing_pool
    never = await pool.member("never", {"agenda": 5}, hours=NO_WEEK)
    away = await pool.member("away", {"agenda": 5})
    working = await pool.member("working", {"agenda": 2})
    now = datetime.now(UTC)
    absence = {"starts_at": (now - timedelta(hours=1)).isoformat(), "ends_at": (now + timedelta(days=2)).isoformat()}
    added = await pool.client.post(f"/v1/members/{away}/absences", json=absence, headers=pool.as_member(away))
    assert added.status_code == 201, added.text

    offer = await pool.live_offer(await pool.submit())
    assert offer["member_id"] == working
    decisions = (
        await pool.client.get(f"/v1/requests/{offer['request_id']}/decisions", headers=pool.as_member(working))
    ).json()
    # The others are counted per reason, never named.
    assert decisions[0]["others"] == {"no_hours": 1, "absent": 1}
    assert never not in str(decisions) and away not in str(decisions)


async def test_a_member_sets_her_hours_and_then_gets_offers(routing_pool: Pool):
    pool = routing_pool
    sara = await pool.member("sara", {"agenda": 4}, hours=NO_WEEK)
    request_id = await pool.submit()
    hours = await pool.client.get(f"/v1/members/{sara}/hours", headers=pool.as_member(sara))
    assert hours.json()["state"] == "no working hours" and hours.json()["next_opening"] is None
    bad = await pool.client.put(
        f"/v1/members/{sara}/hours", json={"days": [[[600, 500]]] * 7}, headers=pool.as_member(sara)
    )
    assert bad.status_code == 422 and "Monday" in bad.text
    put = await pool.client.put(f"/v1/members/{sara}/hours", json=WHOLE_WEEK, headers=pool.as_member(sara))
    assert put.status_code == 200 and put.json()["state"] == "on shift"
    assert (await pool.live_offer(request_id))["member_id"] == sara  # the queue drained when she came on shift


async def test_only_the_member_her_lead_or_an_admin_arranges_her_rota(routing_pool: Pool):
    pool = routing_pool
    sara = await pool.member("sara", {"agenda": 4})
    colleague = auth(caller("secretary", pools=(pool.pool_id,)), "routing")
    lead = auth(caller("lead", pools=(pool.pool_id,)), "routing")
    other_lead = auth(caller("lead", pools=("pool-elsewhere",)), "routing")
    admin = auth(caller("admin"), "routing")
    path = f"/v1/members/{sara}/hours"
    assert (await pool.client.put(path, json=WHOLE_WEEK, headers=colleague)).status_code == 403
    assert (await pool.client.put(path, json=WHOLE_WEEK, headers=other_lead)).status_code == 403
    assert (await pool.client.put(path, json=WHOLE_WEEK, headers=lead)).status_code == 200
    assert (await pool.client.put(path, json=WHOLE_WEEK, headers=admin)).status_code == 200
    profile = await pool.client.put(
        f"/v1/members/{sara}/profile", json={"capacity": 5, "languages": ["nl"]}, headers=lead
    )
    assert profile.status_code == 200 and profile.json()["capacity"] == 5
    own = await pool.client.put(f"/v1/members/{sara}/profile", json={"capacity": 9}, headers=pool.as_member(sara))
    assert own.status_code == 403


async def test_the_pool_follows_the_dutch_calendar_and_edits_it(routing_pool: Pool):
    pool = routing_pool
    async with pool.db.acquire() as conn:
        await store_rota.upsert_pool(conn, pool.pool_id, "NL", 1)
    lead = auth(caller("lead", pools=(pool.pool_id,)), "routing")
    listed = (await pool.client.get(f"/v1/pools/{pool.pool_id}/holidays?year=2026", headers=lead)).json()
    christmas = next(h for h in listed if h["day"] == "2026-12-25")
    assert christmas["name_nl"] == "Eerste kerstdag" and christmas["source"] == "calendar"
    base = f"/v1/pools/{pool.pool_id}/holidays"
    removed = (await pool.client.delete(f"{base}/2026-12-26", headers=lead)).json()
    assert next(h for h in removed if h["day"] == "2026-12-26")["removed"] is True
    added = await pool.client.put(f"{base}/2026-12-31", json={"name": "Oudejaarsdag"}, headers=lead)
    assert {"day": "2026-12-31", "name_nl": "Oudejaarsdag"}.items() <= next(
        h for h in added.json() if h["day"] == "2026-12-31"
    ).items()
    restored = (await pool.client.put(f"{base}/2026-12-26", json={}, headers=lead)).json()
    assert next(h for h in restored if h["day"] == "2026-12-26")["removed"] is False
    member = auth(caller("secretary", pools=(pool.pool_id,)), "routing")
    assert (await pool.client.put(f"{base}/2026-12-24", json={}, headers=member)).status_code == 403
    assert date(2026, 12, 31) in {date.fromisoformat(h["day"]) for h in added.json()}


async def test_a_decision_reads_the_pools_holidays_and_its_members_absences_in_one_go(routing_pool: Pool):
    pool = routing_pool
    anna, bram = await pool.member("anna", {"agenda": 3}), await pool.member("bram", {"agenda": 3})
    now = datetime.now(UTC).replace(microsecond=0)
    async with pool.db.acquire() as conn:
        await store_rota.upsert_pool(conn, pool.pool_id, "NL", 1)
        await store_rota.change_holiday(conn, pool.pool_id, date(2026, 12, 31), "added", "Oudejaarsdag")
        away = (now - timedelta(hours=1), now + timedelta(days=1))
        await store_rota.add_absence(conn, uuid.uuid4(), anna, *away, "test")
        await store_rota.add_absence(conn, uuid.uuid4(), bram, now - timedelta(days=2), now - timedelta(days=1), "test")
        rota = await store_rota.pool_rota(conn, pool.pool_id, [anna, bram], ending_after=now)
        nobody = await store_rota.pool_rota(conn, new_id("pool-"), [], ending_after=now)
        context = await store.decision_context(conn, new_id("request-"), pool.pool_id, now)

    assert rota.country == "NL"
    assert [(c.day, c.kind, c.name) for c in rota.changes] == [(date(2026, 12, 31), "added", "Oudejaarsdag")]
    # Only absences that have not ended, with their times as stored.
    assert [(a.member_id, a.starts_at, a.ends_at) for a in rota.absences] == [(anna, *away)]
    assert (nobody.country, nobody.changes, nobody.absences) == ("", [], [])
    # A routing decision reads the same rota with its policy and refusals (its members: the pool's).
    assert context.rota == rota
