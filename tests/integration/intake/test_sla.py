"""Service levels: SlaAtRisk fires before the limit, once per request and level even with two
replicas watching; a breach is recorded (and announced) once; waiting on the requester pauses
the completion clock."""

import asyncio
from datetime import datetime
from typing import Any

from services.contracts.intake import SlaAtRisk, SlaBreached
from tests.integration.intake.conftest import WITHIN
from tests.support import eventually

FAST = {"sla_check_seconds": 0.1, "sla_warning_share": 0.9}  # at risk after 10% of the window


async def short_type(desk, lead) -> str:
    """Pick-up and completion in one minute; high urgency halves that to 30 s."""
    body = {
        "pool_id": desk.pool_id,
        "name_nl": "Spoedklus",
        "name_en": "Rush job",
        "skill": "agenda",
        "min_level": 1,
        "pickup_minutes": 1,
        "complete_minutes": 1,
    }
    response = await desk.call(lead, "POST", "/v1/request-types/", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def of(events: list[Any], kind: type, level: str) -> list[Any]:
    return [e for e in events if isinstance(e, kind) and e.level == level]


async def test_sla_at_risk_fires_once_before_the_limit_with_two_replicas_watching(start_intake):
    first = await start_intake(**FAST)
    await start_intake(**FAST)  # a second replica on the same database and NATS
    staff, lead = first.staff(), first.lead()
    type_id = await short_type(first, lead)
    requests = [await first.submit(staff, type_id=type_id, urgency="high") for _ in range(5)]

    for request in requests:
        events = await first.events_until(
            request["id"], lambda es: of(es, SlaAtRisk, "pickup") and of(es, SlaAtRisk, "completion")
        )
        for level, due in (("pickup", request["pickup_due_at"]), ("completion", request["done_due_at"])):
            (warning,) = of(events, SlaAtRisk, level)
            assert warning.occurred_at < datetime.fromisoformat(due) == warning.due_at
            assert warning.urgency == "high" and warning.status == "submitted"
        view = await first.get(staff, request["id"])
        assert view["pickup_at_risk"] and view["done_at_risk"] and not view["pickup_breached"]
    # Both replicas keep watching (each every 0.1 s): nothing fires a second time.
    await asyncio.sleep(1.0)
    for request in requests:
        events = await first.events(request["id"])
        assert len(of(events, SlaAtRisk, "pickup")) == len(of(events, SlaAtRisk, "completion")) == 1
        versions = [e.version for e in events]
        assert versions == sorted(set(versions))


async def test_a_missed_level_is_recorded_and_announced_once(start_intake):
    desk = await start_intake(**FAST)
    await start_intake(**FAST)
    staff = desk.staff()
    rid = (await desk.submit(staff))["id"]
    await desk.db.execute("UPDATE requests SET pickup_due_at = now() - interval '1 minute' WHERE id = $1::uuid", rid)
    # Never warned before: warned now (for routing to escalate), then recorded as missed.
    events = await desk.events_until(rid, lambda es: of(es, SlaBreached, "pickup") and of(es, SlaAtRisk, "pickup"))
    (warning,) = of(events, SlaAtRisk, "pickup")
    (breach,) = of(events, SlaBreached, "pickup")
    assert warning.version < breach.version
    view = await eventually(lambda: desk.get(staff, rid), lambda v: v["pickup_breached"], WITHIN)
    assert not view["done_breached"]
    kinds = [e["kind"] for e in (await desk.call(staff, "GET", f"/v1/requests/{rid}/timeline")).json()]
    assert kinds.count("sla_breached") == 1 and kinds.count("sla_at_risk") == 1
    await asyncio.sleep(0.5)
    assert len(of(await desk.events(rid), SlaBreached, "pickup")) == 1


async def test_waiting_on_the_requester_pauses_the_completion_clock(desk):
    staff, member = desk.staff(), desk.member()
    rid = (await desk.submit(staff))["id"]
    await desk.picked_up(rid, member)
    await desk.call(
        member, "POST", f"/v1/requests/{rid}/status", json={"status": "waiting_on_requester", "note": "Which date?"}
    )
    await desk.db.execute("UPDATE requests SET waiting_since = now() - interval '2 hours' WHERE id = $1::uuid", rid)
    before = datetime.fromisoformat((await desk.get(staff, rid))["done_due_at"])
    await desk.call(staff, "POST", f"/v1/requests/{rid}/comments", json={"body": "Tuesday"})
    after = await desk.get(staff, rid)
    shift = datetime.fromisoformat(after["done_due_at"]) - before
    assert after["status"] == "in_progress" and after["waiting_since"] is None
    assert 2 * 3600 <= shift.total_seconds() < 2 * 3600 + 60
