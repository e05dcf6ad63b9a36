"""Two routing replicas and 300 simultaneous requests: no member ever holds more than their
capacity, and a request never has two live offers — checked all along, not only at the end."""

import asyncio
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx
import msgspec
import nats

from services.contracts.intake import RequestCompleted
from tests.e2e.conftest import Processes
from tests.support import auth, caller, eventually

POOL = "pool-secretariaat"
REQUESTS = 300

OVER_CAPACITY = """
    SELECT m.id FROM routing.members m
    JOIN routing.offers o ON o.member_id = m.id AND o.status IN ('open', 'accepted')
    GROUP BY m.id, m.capacity HAVING count(*) > m.capacity"""
DOUBLE_OFFERS = """
    SELECT request_id FROM routing.offers WHERE status IN ('open', 'accepted')
    GROUP BY request_id HAVING count(*) > 1"""


async def test_two_routing_replicas_never_overfill_a_member_or_double_offer_a_request(
    processes: Processes, database_url
):
    processes.start("intake")
    processes.start("routing")
    processes.start("routing", replica="routing-2")
    db = await asyncpg.connect(database_url)
    nc = await nats.connect(processes.env["NATS_URL"])
    js = nc.jetstream()
    try:
        await db.execute("UPDATE routing.members SET capacity = 3")
        headers = auth(caller(pools=(POOL,)), "intake")
        async with httpx.AsyncClient(base_url=processes.url("intake"), headers=headers, timeout=30) as intake:
            bodies = [
                {"type_id": "agenda-meeting", "description": f"Overleg {i}", "idempotency_key": str(uuid.uuid4())}
                for i in range(REQUESTS)
            ]
            responses = await asyncio.gather(*(intake.post("/v1/requests/", json=b) for b in bodies))
        assert {r.status_code for r in responses} == {201}
        completed: set[str] = set()
        violations: list[str] = []
        for _ in range(600):  # bounded: at most ~60 s
            violations += [f"over capacity: {r['id']}" for r in await db.fetch(OVER_CAPACITY)]
            violations += [f"two live offers: {r['request_id']}" for r in await db.fetch(DOUBLE_OFFERS)]
            live = await db.fetch("SELECT request_id FROM routing.offers WHERE status = 'open'")
            # Members finish their work, freeing capacity while both replicas drain the queue.
            for row in live:
                if row["request_id"] not in completed:
                    completed.add(row["request_id"])
                    event = RequestCompleted(
                        event_id=uuid.uuid4(),
                        occurred_at=datetime.now(UTC),
                        request_id=row["request_id"],
                        version=99,
                        pool_id=POOL,
                        requester_id="x",
                        member_id=None,
                    )
                    await js.publish(
                        "secpool.intake.request.completed",
                        msgspec.json.encode(event),
                        headers={"Nats-Msg-Id": str(event.event_id)},
                    )
            if len(completed) == REQUESTS:
                break
            await asyncio.sleep(0.1)
        assert violations == []
        assert len(completed) == REQUESTS, f"only {len(completed)} of {REQUESTS} were ever offered"
        per_request = await db.fetch("SELECT request_id, count(*) AS n FROM routing.offers GROUP BY request_id")
        assert len(per_request) == REQUESTS and {r["n"] for r in per_request} == {1}
        await eventually(lambda: js.consumer_info("INTAKE", "routing-intake"), lambda c: c.num_pending == 0)
        assert await db.fetchval("SELECT count(*) FROM routing.dead_letters") == 0
    finally:
        await nc.close()
        await db.close()
