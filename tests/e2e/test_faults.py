"""Fault tests: processes die at the worst moments, and still every request ends with exactly
one offer and no event has its effect twice."""

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.e2e.conftest import Processes
from tests.support import auth, caller, eventually

POOL = "pool-secretariaat"
REQUESTS = 200


async def roomy_members(database_url: str) -> None:
    """Give the demo members room for all requests, so each can be offered at once."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("UPDATE routing.members SET capacity = 50")
    finally:
        await conn.close()


async def submit_all(intake_url: str, keys: list[str], headers: dict[str, str], sent: list[str]) -> dict[str, str]:
    """Submit each key until intake answers (a retry reuses the key, as the pwa does)."""
    ids: dict[str, str] = {}
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=intake_url, headers=headers, timeout=5) as client:

        async def one(key: str) -> None:
            body = {"type_id": "agenda-meeting", "description": f"Overleg {key[:8]}", "idempotency_key": key}
            async with limit:
                for _ in range(600):
                    try:
                        response = await client.post("/v1/requests/", json=body)
                    except httpx.TransportError:
                        await asyncio.sleep(0.05)
                        continue
                    assert response.status_code in (200, 201), response.text
                    ids[key] = response.json()["id"]
                    sent.append(key)
                    return
                raise AssertionError(f"request {key} never got through")

        await asyncio.gather(*(one(k) for k in keys))
    return ids


async def assert_exactly_one_offer_each(database_url: str, ids: dict[str, str]) -> None:
    conn = await asyncpg.connect(database_url)
    try:

        async def offered() -> int:
            return int(await conn.fetchval("SELECT count(*) FROM intake.requests WHERE status = 'offered'"))

        await eventually(offered, lambda n: n == REQUESTS, within=60)
        assert await conn.fetchval("SELECT count(*) FROM intake.requests") == REQUESTS
        assert len(set(ids.values())) == REQUESTS
        per_request = await conn.fetch("SELECT request_id, count(*) AS n FROM routing.offers GROUP BY request_id")
        assert len(per_request) == REQUESTS and {r["n"] for r in per_request} == {1}
        # Effects counted once: capacity taken equals live offers, one inbox row per event.
        assert await conn.fetchval("SELECT sum(open_count) FROM routing.members") == REQUESTS
        assert await conn.fetchval("SELECT count(*) FROM routing.requests") == REQUESTS
        timeline = await conn.fetch(
            "SELECT request_id, count(*) FILTER (WHERE kind = 'offered') AS offered,"
            " count(*) FILTER (WHERE kind = 'submitted') AS submitted FROM intake.timeline GROUP BY request_id"
        )
        assert {(r["submitted"], r["offered"]) for r in timeline} == {(1, 1)}
        assert await conn.fetchval("SELECT count(*) FROM routing.dead_letters") == 0
        assert await conn.fetchval("SELECT count(*) FROM intake.dead_letters") == 0
    finally:
        await conn.close()


async def test_killing_routing_mid_stream_leaves_every_request_with_exactly_one_offer(
    processes: Processes, database_url
):
    for name in ("intake", "routing"):
        processes.start(name)
    await roomy_members(database_url)
    keys = [str(uuid.uuid4()) for _ in range(REQUESTS)]
    sent: list[str] = []
    submitting = asyncio.create_task(
        submit_all(processes.url("intake"), keys, auth(caller(pools=(POOL,)), "intake"), sent)
    )
    await eventually(lambda: asyncio.sleep(0, len(sent)), lambda n: n >= REQUESTS // 3, within=30)
    processes.kill("routing")
    await eventually(lambda: asyncio.sleep(0, len(sent)), lambda n: n >= 2 * REQUESTS // 3, within=30)
    await asyncio.to_thread(processes.start, "routing")
    ids = await submitting
    await assert_exactly_one_offer_each(database_url, ids)


@pytest.mark.parametrize("die_after", [60])
async def test_intake_dying_between_publish_and_commit_creates_no_duplicate_effects(
    processes: Processes, database_url: str, die_after: int
) -> None:
    processes.start("routing")
    child = processes.start("intake", SECPOOL_FAULT_RELAY_EXIT_AFTER=str(die_after))
    await roomy_members(database_url)
    keys = [str(uuid.uuid4()) for _ in range(REQUESTS)]
    sent: list[str] = []
    submitting = asyncio.create_task(
        submit_all(processes.url("intake"), keys, auth(caller(pools=(POOL,)), "intake"), sent)
    )
    await eventually(lambda: asyncio.sleep(0, child.alive()), lambda alive: not alive, within=30)
    assert child.proc is not None and child.proc.returncode == -9, "the fault hook should have killed intake"
    conn = await asyncpg.connect(database_url)
    try:
        # Published to JetStream but never marked: these will be published again.
        unmarked = await conn.fetchval("SELECT count(*) FROM intake.outbox WHERE status = 'pending'")
        assert unmarked >= 1
    finally:
        await conn.close()
    await asyncio.to_thread(processes.start, "intake")
    ids: dict[str, Any] = await submitting
    await assert_exactly_one_offer_each(database_url, ids)
