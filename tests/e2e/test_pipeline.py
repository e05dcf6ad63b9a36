"""The walking skeleton across processes: requests submitted over intake's HTTP API are each
offered to a member. (How fast is a benchmark's question, not a test's: benchmarks/.)"""

import asyncio
import time
import uuid

import httpx

from tests.support import auth, caller

POOL = "pool-secretariaat"
BOUND = 15.0  # seconds: a generous upper bound on a busy 2-core machine


async def test_each_submitted_request_is_offered_to_a_member(processes):
    for name in ("intake", "routing", "recognition", "pwa"):
        processes.start(name)
    staff = caller("staff", pools=(POOL,))
    async with httpx.AsyncClient(base_url=processes.url("intake"), headers=auth(staff, "intake")) as intake:

        async def submit_and_wait() -> None:
            started = time.monotonic()
            body = {"type_id": "letter", "description": "Brief aan de huurders", "idempotency_key": str(uuid.uuid4())}
            created = await intake.post("/v1/requests/", json=body)
            assert created.status_code == 201, created.text
            while True:
                current = (await intake.get(f"/v1/requests/{created.json()['id']}")).json()
                elapsed = time.monotonic() - started
                if current["status"] == "offered":
                    assert current["member_id"]
                    return
                assert elapsed < BOUND, f"not offered within {BOUND} s: {current}"
                await asyncio.sleep(0.01)

        for _ in range(10):
            await submit_and_wait()
