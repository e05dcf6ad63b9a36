"""Pool digests: a seeded week gives the hand-computed figures; the schedule publishes exactly
one digest per pool per period even with two replicas running it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.contracts.recognition import DigestPublished
from services.demo import organisation
from services.recognition import digests, domain
from tests.integration.recognition import bus
from tests.integration.recognition.conftest import POOL
from tests.support import caller, eventually, new_id

# The seeded week: Monday 9 March 2026 00:00 to Monday 16 March 00:00, Amsterdam time (CET).
WEEK_START = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
WEEK_END = datetime(2026, 3, 15, 23, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# Completions: (name, pool, minutes saved, on time (intake's verdict), completed)
COMPLETIONS = [
    ("r1", POOL, 20, True, at(9, 0)),  # Monday 01:00 local: the week's first hour
    ("r2", POOL, 45, False, at(11, 15)),
    ("r3", POOL, 30, True, at(12, 17)),
    ("r4", POOL, 15, False, at(13, 9)),
    ("r7", POOL, 10, True, at(15, 22, 30)),  # Sunday 23:30 local: still this week
    ("r5", POOL, 60, True, at(15, 23)),  # Monday 00:00 local: next week
    ("r0", POOL, 25, True, at(8, 22, 59)),  # Sunday 23:59 local: the week before
    ("r6", "pool-finance", 90, True, at(10, 9)),  # another pool
]
# Kudos: (name, giver, to, reactions, created, hidden). "sanne"/"fatima" work in the pool.
KUDOS = [
    ("k1", "staff", {"recipient_ids": ["sanne"]}, 3, at(10, 9), False),  # received by the pool
    ("k2", "sanne", {"recipient_ids": ["staff-x"]}, 1, at(10, 11), False),  # given by the pool
    ("k3", "staff", {"pool_id": POOL}, 5, at(11, 9), False),  # received (addressed to the pool)
    ("k4", "sanne", {"recipient_ids": ["fatima"]}, 0, at(12, 9), False),  # given and received
    ("k8", "staff", {"recipient_ids": ["fatima"]}, 1, at(13, 9), False),  # received; ties k2, newer
    ("k5", "staff", {"recipient_ids": ["staff-y"]}, 7, at(11, 10), False),  # not the pool's
    ("k6", "staff", {"recipient_ids": ["fatima"]}, 9, at(12, 10), True),  # hidden: left out
    ("k7", "staff", {"recipient_ids": ["sanne"]}, 4, at(6, 9), False),  # the week before
]
# By hand: handled r1 r2 r3 r4 r7 = 5; minutes 20+45+30+15+10 = 120; on time r1 r3 r7 = 3 of 5
# → 0.6; given k2 k4 = 2; received k1 k3 k4 k8 = 4;
# highlights by reactions k3 (5), k1 (3), then k8 and k2 (1 each) → the newer, k8.
EXPECTED = {
    "requests_handled": 5,
    "minutes_saved": 120,
    "requests_on_time": 3,
    "on_time_share": 0.6,
    "kudos_given": 2,
    "kudos_received": 4,
}
EXPECTED_HIGHLIGHTS = ["k3", "k1", "k8"]


async def test_a_seeded_week_gives_the_hand_computed_digest(recognition, recognition_db, js):
    rec = await recognition()
    people = {p.email.split("@")[0]: p for p in organisation().people}
    who = {
        "staff": caller("staff", pools=(POOL,)),
        "sanne": caller("secretary", pools=(POOL,), account_id=people["sanne"].id),
    }
    ids = {"sanne": people["sanne"].id, "fatima": people["fatima"].id, "staff-x": new_id(), "staff-y": new_id()}

    for name, pool, minutes, on_time, done in COMPLETIONS:
        await bus.publish(
            js,
            bus.completed(
                request_id=f"{name}-{new_id()}",
                requester_id=new_id("req-"),
                pool_id=pool,
                minutes_saved=minutes,
                on_time=on_time,
                occurred_at=done,
                member_id=ids["fatima"],
            ),
        )
    marker = bus.completed(requester_id=who["staff"].account_id, member_id=new_id(), pool_id="pool-marker")
    await bus.publish(js, marker)
    await eventually(lambda: rec.call("GET", "/v1/prompts/", who["staff"]), lambda r: len(r.json()) == 1)

    kudos_ids = {}
    lead = caller("lead", pools=(POOL,))
    for name, giver, to, reactions, created, hidden in KUDOS:
        body = {**to, "recipient_ids": [ids[r] for r in to.get("recipient_ids", [])]}
        given = await rec.give(who[giver], message=f"Thanks ({name})", **body)
        assert given.status_code == 201, given.text
        kudos_ids[name] = kudos_id = given.json()["id"]
        for _ in range(reactions):
            await rec.call("PUT", f"/v1/kudos/{kudos_id}/reaction", caller("staff"), json={"emoji": "👏"})
        if hidden:
            await rec.call("POST", f"/v1/kudos/{kudos_id}/hide", lead, json={"reason": "test"})
        async with recognition_db.acquire() as conn:  # back-date it into the seeded week
            await conn.execute("UPDATE kudos SET created_at = $2 WHERE id = $1::uuid", kudos_id, created)

    week = domain.last_finished_period(WEEK_END + timedelta(hours=1), 7 * 24 * 3600, ZoneInfo("Europe/Amsterdam"))
    assert (week.start, week.end) == (WEEK_START, WEEK_END)
    async with recognition_db.acquire() as conn, conn.transaction():
        assert await digests.publish(conn, POOL, week) is not None
    async with recognition_db.acquire() as conn, conn.transaction():
        assert await digests.publish(conn, POOL, week) is None  # claimed: once per pool and period

    [digest] = (await rec.call("GET", f"/v1/pools/{POOL}/digests", who["staff"])).json()
    assert (digest["period_start"], digest["period_end"]) == ("2026-03-08T23:00:00Z", "2026-03-15T23:00:00Z")
    assert {k: digest[k] for k in EXPECTED} == EXPECTED
    by_id = {v: k for k, v in kudos_ids.items()}
    assert [by_id[h["id"]] for h in digest["highlights"]] == EXPECTED_HIGHLIGHTS
    assert (await rec.call("GET", f"/v1/digests/{digest['id']}", who["staff"])).json() == digest

    events = [e for e in await bus.recorded(js, DigestPublished) if e.pool_id == POOL]
    assert len(events) == 1
    event = events[0]
    assert (event.digest_id, event.requests_handled, event.minutes_saved, event.on_time_share) == (
        digest["id"],
        5,
        120,
        0.6,
    )
    assert (event.kudos_given, event.kudos_received) == (2, 4)
    assert [by_id[k] for k in event.highlight_kudos_ids] == EXPECTED_HIGHLIGHTS


async def test_the_schedule_publishes_one_digest_per_pool_per_period_with_two_replicas(recognition, js):
    quick = {"digest_period_seconds": 1, "digest_check_seconds": 0.05}
    first, second = await recognition(**quick), await recognition(**quick)
    staff = caller("staff")
    await first.give(staff, message="Thanks, pool", pool_id=POOL)

    def enough(found: list[DigestPublished]) -> bool:
        return len({e.period_start for e in found if e.pool_id == POOL}) >= 3

    events = await eventually(lambda: bus.recorded(js, DigestPublished, within=0), enough, within=8)
    periods = [e.period_start for e in events if e.pool_id == POOL]
    assert len(periods) == len(set(periods)), "a period was published twice"
    listed = (await second.call("GET", f"/v1/pools/{POOL}/digests", staff, params={"limit": 52})).json()
    assert len({d["period_start"] for d in listed}) == len(listed)
    assert all(
        datetime.fromisoformat(d["period_end"]) - datetime.fromisoformat(d["period_start"]) == timedelta(seconds=1)
        for d in listed
    )
    assert sum(d["kudos_received"] for d in listed) <= 1


async def test_a_pools_lead_sets_how_often_its_digest_appears(recognition):
    rec = await recognition()
    lead, other_lead = caller("lead", pools=(POOL,)), caller("lead", pools=("pool-finance",))
    path = f"/v1/pools/{POOL}/digest-schedule"
    assert (await rec.call("GET", path, caller("staff"))).json() == {"id": POOL, "digest_every_days": 7.0}
    assert (await rec.call("PUT", path, other_lead, json={"every_days": 14})).status_code == 403
    assert (await rec.call("PUT", path, lead, json={"every_days": 14})).json()["digest_every_days"] == 14.0
    assert (await rec.call("GET", path, caller("staff"))).json()["digest_every_days"] == 14.0
    assert (await rec.call("PUT", path, lead, json={"every_days": None})).json()["digest_every_days"] == 7.0
