"""The walking skeleton across processes: requests submitted over intake's HTTP API are
offered to a member within 2 s."""

import asyncio
import time
import uuid

import httpx

from tests.support import auth, caller

POOL = "pool-secretariaat"


async def test_each_submitted_request_is_offered_to_a_member_within_two_seconds(processes):
    for name in ("intake", "routing", "recognition", "pwa"):
        processes.start(name)
    staff = caller("staff", pools=(POOL,))
    async with httpx.AsyncClient(base_url=processes.url("intake"), headers=auth(staff, "intake")) as intake:

        async def submit_and_wait() -> float:
            started = time.monotonic()
            body = {"type_id": "letter", "description": "Brief aan de huurders", "idempotency_key": str(uuid.uuid4())}
            created = await intake.post("/v1/requests/", json=body)
            assert created.status_code == 201, created.text
            while True:
                current = (await intake.get(f"/v1/requests/{created.json()['id']}")).json()
                elapsed = time.monotonic() - started
                if current["status"] == "offered":
                    assert current["member_id"]
                    return elapsed
                assert elapsed < 2.0, f"not offered within 2 s: {current}"
                await asyncio.sleep(0.01)

        latencies = [await submit_and_wait() for _ in range(10)]
    assert max(latencies) < 2.0
