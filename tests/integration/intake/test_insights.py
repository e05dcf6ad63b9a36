"""What the pool is doing, as intake tells it (insights.py): a waiting request's place in its
pool's queue and its expected pick-up time (domain.py, "The queue model"); team-level insights
checked against a hand-computed fixture, and the design rule that no API returns figures per
member to anyone but that member (a lead included)."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

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


# Two weeks in Europe/Amsterdam (UTC+1 in March 2026): W10 = [Mar 1 23:00Z, Mar 8 23:00Z),
# W11 = [Mar 8 23:00Z, Mar 15 23:00Z). Times below are UTC. Minutes saved: agenda-meeting 20,
# letter 30 (the demo catalogue).
MEMBERS = ("member-one", "member-two")
FIXTURE = [
    # type, submitted, picked up, done, done due, rating, member
    ("agenda-meeting", "03-02 09:00", "03-02 09:10", "03-02 11:00", "03-02 13:00", 5, 0),  # on time
    ("agenda-meeting", "03-03 08:00", "03-03 08:30", "03-03 14:00", "03-03 12:00", 3, 1),  # late
    ("letter", "03-04 10:00", "03-04 10:20", "03-04 12:00", "03-04 18:00", None, 0),
    ("letter", "03-06 15:00", "03-09 08:00", "03-09 10:00", "03-09 12:00", 4, 1),  # picked up and done in W11
    ("agenda-meeting", "03-08 22:30", None, None, "03-09 22:30", None, None),  # Sunday 23:30 local: W10
    ("agenda-meeting", "03-08 23:30", "03-09 00:40", "03-09 01:30", "03-09 03:30", 2, 0),  # Monday 00:30 local: W11
    ("letter", "03-10 09:00", None, None, "03-11 09:00", None, None),  # cancelled
    ("letter", "02-20 09:00", "02-20 09:30", "02-21 09:00", "02-22 09:00", 1, 1),  # before the period
]


def utc(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.strptime(f"2026-{stamp}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


async def load_fixture(desk) -> list[str]:
    ids = []
    for i, (type_id, submitted, picked, done, due, rating, member) in enumerate(FIXTURE):
        status = "done" if done else ("cancelled" if i == 6 else "submitted")
        rid = uuid.uuid4()
        await desk.db.execute(
            """INSERT INTO requests (id, pool_id, requester_id, type_id, idempotency_key, description, urgency,
                   language, status, member_id, submitted_at, pickup_due_at, done_due_at, picked_up_at, done_at,
                   cancelled_at, rating, minutes_saved)
               VALUES ($1, $2, 'staff-a', $3, $4, 'fixture', 'normal', 'nl', $5, $6, $7, $8, $9, $10, $11, $12,
                   $13, $14)""",
            rid,
            desk.pool_id,
            type_id,
            str(rid),
            status,
            None if member is None else MEMBERS[member],
            utc(submitted),
            utc(submitted) + timedelta(hours=1),
            utc(due),
            utc(picked),
            utc(done),
            utc(submitted) + timedelta(hours=1) if status == "cancelled" else None,
            rating,
            {"agenda-meeting": 20, "letter": 30}[type_id] if done else None,
        )
        ids.append(str(rid))
    return ids


def figures(requests_in, done, med_pick, p90_pick, med_done, p90_done, on_time, rating, ratings, saved) -> dict:
    return {
        "requests_in": requests_in,
        "requests_done": done,
        "median_pickup_minutes": med_pick,
        "p90_pickup_minutes": p90_pick,
        "median_done_minutes": med_done,
        "p90_done_minutes": p90_done,
        "on_time_share": on_time,
        "average_rating": rating,
        "ratings": ratings,
        "minutes_saved": saved,
    }


async def test_insights_match_the_hand_computed_figures_per_week_and_type(desk):
    await load_fixture(desk)
    response = await desk.call(
        desk.lead(), "GET", f"/v1/pools/{desk.pool_id}/insights", params={"weeks": 2, "until": "2026-03-15"}
    )
    assert response.status_code == 200, response.text
    insights = response.json()
    assert (insights["starts_on"], insights["ends_before"], insights["timezone"]) == (
        "2026-03-02",
        "2026-03-16",
        "Europe/Amsterdam",
    )
    w10, w11 = insights["weeks"]
    assert (w10["week"], w11["week"]) == ("2026-W10", "2026-W11")
    # W10: in #1-#5; picked up 10, 30, 20 min; done 120 (on time), 360 (late), 120 (on time).
    assert w10["total"] == figures(5, 3, 20.0, 28.0, 120.0, 312.0, 0.667, 4.0, 2, 70)
    # W11: in #6, #7; picked up 3900 and 70 min; done 4020 and 120 min, both on time.
    assert w11["total"] == figures(2, 2, 1985.0, 3517.0, 2070.0, 3630.0, 1.0, 3.0, 2, 50)
    # Both weeks: picked up 10, 20, 30, 70, 3900; done 120, 120, 120, 360, 4020 (p90 at rank 3.6).
    assert insights["total"] == figures(7, 5, 30.0, 2368.0, 120.0, 2556.0, 0.8, 3.5, 4, 120)
    by_type = {t["type_id"]: t for t in w10["by_type"]}
    assert by_type["agenda-meeting"]["figures"] == figures(3, 2, 20.0, 28.0, 240.0, 336.0, 0.5, 4.0, 2, 40)
    assert by_type["letter"]["figures"] == figures(2, 1, 20.0, 20.0, 120.0, 120.0, 1.0, None, 0, 30)
    assert by_type["letter"]["type_name"] == {"nl": "Brief of e-mail opstellen", "en": "Draft a letter or email"}


async def test_insights_are_for_the_pools_members_and_leads_only(desk):
    path = f"/v1/pools/{desk.pool_id}/insights"
    assert (await desk.call(desk.staff(), "GET", path)).status_code == 403
    assert (await desk.call(caller("lead", pools=("pool-elsewhere",)), "GET", path)).status_code == 403
    assert (await desk.call(desk.lead(), "GET", path, params={"weeks": 53})).status_code == 400
    for until in ("9999-12-31", "0001-01-01"):
        far = await desk.call(desk.lead(), "GET", path, params={"until": until})
        assert far.status_code == 422 and far.json()["detail"].startswith("until:")
    assert (await desk.call(desk.member(), "GET", path)).status_code == 200


def mentions(value: Any, needles: tuple[str, ...]) -> bool:
    return any(n in json.dumps(value) for n in needles)


async def test_no_api_gives_a_lead_figures_per_member_only_the_member_sees_their_own(desk):
    ids = await load_fixture(desk)
    lead = desk.lead()
    schema = (await desk.call(lead, "GET", "/schema/openapi.json")).json()
    # Files are their own rule (gone from the pool once a request closes: test_attachments.py).
    gets = [path for path, ops in schema["paths"].items() if "get" in ops and "/attachments" not in path]
    assert len(gets) >= 9, gets
    params = {"which": "all", "weeks": 52, "until": "2026-03-15", "include_retired": "true", "limit": 200}
    answered = 0
    for template in gets:
        for rid in ids if "{request_id}" in template else ids[:1]:
            path = template.replace("{request_id}", rid).replace("{pool_id}", desk.pool_id)
            path = path.replace("{type_id}", "letter")
            asked = {**params, "id": ids} if template.endswith("/by-id") else params  # all of them at once
            response = await desk.call(lead, "GET", path, params=asked)
            assert response.status_code < 500, (path, response.text)
            if response.status_code == 200:
                answered += 1
                body = response.json()
                assert not mentions(body, MEMBERS), f"{path} names a member to the lead: {body}"
                if "insights" in path:
                    assert not [k for k in _keys(body) if "member" in k], body
    per_request = [t for t in gets if "{request_id}" in t]
    assert answered == len(gets) - len(per_request) + len(per_request) * len(ids)  # all of them answered
    # The member sees their own closed work, with its ratings.
    own = caller("secretary", pools=(desk.pool_id,), account_id=MEMBERS[0])
    mine = (await desk.call(own, "GET", "/v1/requests/assigned", params={"which": "closed"})).json()
    assert sorted(r["rating"] or 0 for r in mine) == [0, 2, 5]
    assert {r["member_id"] for r in mine} == {MEMBERS[0]}
    other = caller("secretary", pools=(desk.pool_id,), account_id=MEMBERS[1])
    seen_by_other = (await desk.call(other, "GET", f"/v1/requests/{ids[0]}")).json()
    assert (seen_by_other["member_id"], seen_by_other["rating"]) == (None, None)


def _keys(value: Any) -> Any:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)
