"""A requester's correction before pick-up reaches routing: the new urgency and due times are
what routing decides by from then on, and a request already picked up is left as it was."""

import uuid
from datetime import UTC, datetime, timedelta

from services.contracts.intake import RequestEdited
from tests.integration.routing.conftest import Pool
from tests.support import eventually


async def correct(pool: Pool, request_id: str, *, urgency: str, done_in: timedelta, changed: list[str]) -> datetime:
    """Publish the correction and wait until routing has handled it (its inbox holds the event)."""
    due = datetime.now(UTC) + done_in
    event_id = uuid.uuid4()
    await pool.publish(
        RequestEdited(
            event_id=event_id,
            occurred_at=datetime.now(UTC),
            request_id=request_id,
            version=2,
            pool_id=pool.pool_id,
            requester_id="staff-x",
            changed=changed,
            urgency=urgency,  # type: ignore[arg-type]
            pickup_due_at=due - done_in / 2,
            done_due_at=due,
        )
    )
    handled = "SELECT count(*) FROM inbox WHERE event_id = $1"
    await eventually(lambda: pool.db.fetchval(handled, event_id), lambda n: n == 1, within=5)
    return due


async def row(pool: Pool, request_id: str) -> tuple[str, datetime, str]:
    found = await pool.db.fetchrow("SELECT urgency, done_due_at, state FROM requests WHERE request_id = $1", request_id)
    return (found["urgency"], found["done_due_at"], found["state"]) if found else ("", datetime.min, "")


async def test_a_waiting_request_corrected_to_high_urgency_is_decided_by_its_new_due_time(routing_pool: Pool):
    request_id = await routing_pool.submit(urgency="normal", due_in=timedelta(days=3))
    await eventually(lambda: row(routing_pool, request_id), lambda r: r[2] == "waiting", within=5)
    due = await correct(routing_pool, request_id, urgency="high", done_in=timedelta(hours=2), changed=["urgency"])
    urgency, done_due_at, state = await row(routing_pool, request_id)
    assert (urgency, state) == ("high", "waiting")
    assert abs((done_due_at - due).total_seconds()) < 1


async def test_a_text_only_correction_or_one_after_pick_up_changes_nothing_in_routing(routing_pool: Pool):
    ann = await routing_pool.member("ann", {"agenda": 4})
    request_id = await routing_pool.submit(urgency="normal", due_in=timedelta(days=3))
    offer = await routing_pool.live_offer(request_id)
    accepted = await routing_pool.client.post(f"/v1/offers/{offer['id']}/accept", headers=routing_pool.as_member(ann))
    assert accepted.status_code == 200, accepted.text
    before = await row(routing_pool, request_id)
    await correct(routing_pool, request_id, urgency="high", done_in=timedelta(hours=1), changed=["urgency"])
    waiting = await routing_pool.submit(urgency="normal", due_in=timedelta(days=3))
    await correct(routing_pool, waiting, urgency="high", done_in=timedelta(hours=1), changed=["description"])
    assert await row(routing_pool, request_id) == before
    assert (await row(routing_pool, waiting))[0] == "normal"
