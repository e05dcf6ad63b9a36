"""The requester's expected pick-up, as routing announces it: an offer is "now" until it
expires (RequestOffered carries it), a waiting request gets PickupExpected, and an older
announcement never replaces a newer one."""

import uuid
from datetime import UTC, datetime, timedelta

from services.contracts.routing import PickupExpected
from tests.integration.intake.conftest import WITHIN
from tests.support import eventually


async def test_an_offer_is_the_requesters_expected_pick_up_until_it_expires(desk):
    staff, member = desk.staff(), desk.member()
    rid = (await desk.submit(staff))["id"]
    await desk.offer(rid, member)
    offered = await desk.until_status(staff, rid, "offered")
    expected = offered["expected"]
    assert (expected["basis"], expected["reason"]) == ("now", "offered")
    until = datetime.fromisoformat(expected["latest_at"]) - datetime.fromisoformat(expected["earliest_at"])
    assert timedelta(minutes=4) < until < timedelta(minutes=6)  # the Desk's offers last 5 minutes


async def test_a_waiting_request_shows_routings_latest_estimate_and_never_an_older_one(desk):
    staff, member = desk.staff(), desk.member()
    rid = (await desk.submit(staff))["id"]
    await desk.offer(rid, member)
    await desk.until_status(staff, rid, "offered")
    await desk.decline(rid, member)
    await desk.until_status(staff, rid, "submitted")
    later = datetime.now(UTC) + timedelta(minutes=30)

    def estimate(version: int, basis: str) -> PickupExpected:
        return PickupExpected(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            request_id=rid,
            version=version,
            pool_id=desk.pool_id,
            basis=basis,
            earliest_at=later,
            latest_at=later + timedelta(minutes=15),
            reason="all_busy",
        )

    newest = desk.routing_versions[rid] + 1
    await desk.publish(estimate(newest, "queue"))
    shown = await eventually(lambda: desk.get(staff, rid), lambda r: r["expected"]["basis"] == "queue", WITHIN)
    assert shown["expected"]["reason"] == "all_busy"
    older = await desk.publish(estimate(newest - 1, "pool_opens"))

    async def consumed() -> bool:
        return bool(await desk.db.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", older))

    await eventually(consumed, bool, WITHIN)
    assert (await desk.get(staff, rid))["expected"] == shown["expected"]
