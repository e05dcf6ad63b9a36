"""Clarity for the requester: a waiting request's place in its pool's queue and its expected
pick-up time, from what the pool is doing (domain.py, "The queue model")."""

from datetime import datetime, timedelta

from tests.support import caller


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_waiting_requests_get_their_position_and_expected_pick_up_from_the_pools_pace(desk):
    staff, lead = desk.staff(), desk.lead()
    # Two members of capacity 2 each: four requests in progress fill the pool.
    members = [desk.member(), desk.member()]
    # Their recent work: three requests, each done one hour after it was picked up.
    for i in range(3):
        rid = (await desk.submit(staff))["id"]
        await desk.picked_up(rid, members[i % 2])
        await desk.call(members[i % 2], "POST", f"/v1/requests/{rid}/status", json={"status": "done"})
        await desk.db.execute(
            "UPDATE requests SET picked_up_at = now() - interval '3 hours', done_at = now() - interval '2 hours'"
            " WHERE id = $1::uuid",
            rid,
        )
    for i in range(4):
        await desk.picked_up((await desk.submit(staff))["id"], members[i % 2])
    # Three requests wait; the urgent one, though submitted last, goes first.
    normal = (await desk.submit(staff, urgency="normal"))["id"]
    low = (await desk.submit(staff, urgency="low"))["id"]
    high = (await desk.submit(staff, urgency="high"))["id"]

    mine = {r["id"]: r for r in (await desk.call(staff, "GET", "/v1/requests/")).json()}
    # A slot frees every 60 min / 4 slots = 15 min: positions 1, 2, 3 → +15, +30, +45 min.
    for rid, position in ((high, 1), (normal, 2), (low, 3)):
        spot = mine[rid]["queue"]
        assert (spot["position"], spot["waiting"], spot["basis"]) == (position, 3, "queue"), spot
        expected = at(mine[rid]["submitted_at"]) + timedelta(minutes=15 * position)
        assert abs(at(spot["expected_pickup_at"]) - expected) < timedelta(seconds=30), (spot, expected)
    assert all(r["queue"] is None for r in mine.values() if r["status"] != "submitted")

    queue = (await desk.call(lead, "GET", f"/v1/pools/{desk.pool_id}/queue")).json()
    assert [r["id"] for r in queue] == [high, normal, low]

    # The urgent one is picked up: the others move up and the pool now has five busy slots.
    await desk.picked_up(high, members[0])
    moved = {r["id"]: r["queue"] for r in (await desk.call(staff, "GET", "/v1/requests/")).json()}
    assert moved[high] is None
    assert (moved[normal]["position"], moved[low]["position"]) == (1, 2)
    gap = at(moved[low]["expected_pickup_at"]) - at(moved[normal]["expected_pickup_at"])
    assert abs(gap - timedelta(minutes=12)) < timedelta(seconds=5)  # 60 / 5


async def test_without_anyone_at_work_the_service_level_is_the_expected_pick_up(desk):
    staff = desk.staff()
    request = await desk.submit(staff, type_id="letter")
    spot = request["queue"]
    assert (spot["position"], spot["basis"]) == (1, "service_level")
    assert spot["expected_pickup_at"] == request["pickup_due_at"]


async def test_only_the_pools_members_and_leads_see_its_queue(desk):
    assert (await desk.call(desk.staff(), "GET", f"/v1/pools/{desk.pool_id}/queue")).status_code == 403
    other = caller("secretary", pools=("pool-elsewhere",))
    assert (await desk.call(other, "GET", f"/v1/pools/{desk.pool_id}/queue")).status_code == 403
    assert (await desk.call(desk.member(), "GET", f"/v1/pools/{desk.pool_id}/queue")).status_code == 200
