"""The heal sweep: a request intake holds as submitted that routing never answered is
announced again, routed once, and counted; a routing answer intake missed is announced again
by routing, and intake catches up without a second offer."""

import asyncio
import uuid

import asyncpg
import nats
import pytest

from tests.support import METRICS, auth, caller, eventually

POOL = "pool-secretariaat"


@pytest.fixture(autouse=True)
def quick_heals(monkeypatch):
    monkeypatch.setenv("SECPOOL_INTAKE_HEAL_AFTER_SECONDS", "1")
    monkeypatch.setenv("SECPOOL_INTAKE_HEAL_CHECK_SECONDS", "0.2")


def new_request() -> dict[str, object]:
    return {"type_id": "agenda-meeting", "description": "Overleg", "idempotency_key": str(uuid.uuid4())}


async def status_of(intake, request_id: str, headers) -> dict:
    return (await intake.get(f"/v1/requests/{request_id}", headers=headers)).json()


async def test_a_request_routing_never_saw_is_announced_again_routed_once_and_counted(services, database_url, nats_url):
    intake = (await services("intake", demo=True))["intake"]
    headers = auth(caller("staff", pools=(POOL,)), "intake")
    created = await intake.post("/v1/requests/", json=new_request(), headers=headers)
    request_id = created.json()["id"]
    conn = await asyncpg.connect(database_url)
    try:
        await eventually(
            lambda: conn.fetchval("SELECT count(*) FROM intake.outbox WHERE status = 'published'"), lambda n: n >= 1
        )
        # The announcement is lost before routing ever reads it.
        nc = await nats.connect(nats_url)
        await nc.jetstream().purge_stream("INTAKE")
        await nc.close()
        routing = (await services("routing", demo=True))["routing"]
        offered = await eventually(
            lambda: status_of(intake, request_id, headers), lambda r: r["status"] == "offered", within=15
        )
        assert offered["member_id"]
        assert await conn.fetchval("SELECT count(*) FROM routing.offers WHERE request_id = $1", request_id) == 1
        assert await conn.fetchval("SELECT heals FROM intake.requests WHERE id = $1::uuid", request_id) >= 1
        metrics = (await intake.get("/metrics", headers=METRICS)).text
        assert 'secpool_heals_total{kind="resubmitted",service="intake"}' in metrics
        assert (await routing.get("/health")).status_code == 200
    finally:
        await conn.close()


async def test_a_routing_answer_intake_missed_is_announced_again_without_a_second_offer(services, database_url):
    clients = await services("intake", "routing", demo=True)
    intake = clients["intake"]
    headers = auth(caller("staff", pools=(POOL,)), "intake")
    request_id = (await intake.post("/v1/requests/", json=new_request(), headers=headers)).json()["id"]
    first = await eventually(lambda: status_of(intake, request_id, headers), lambda r: r["status"] == "offered")
    conn = await asyncpg.connect(database_url)
    try:
        # As if RequestOffered never reached intake.
        await conn.execute(
            "UPDATE intake.requests SET status = 'submitted', member_id = NULL, routing_version = 0 WHERE id = $1::uuid",
            request_id,
        )
        healed = await eventually(
            lambda: status_of(intake, request_id, headers), lambda r: r["status"] == "offered", within=15
        )
        assert healed["member_id"] == first["member_id"]
        assert await conn.fetchval("SELECT count(*) FROM routing.offers WHERE request_id = $1", request_id) == 1
        metrics = (await clients["routing"].get("/metrics", headers=METRICS)).text
        assert 'secpool_heals_total{kind="reannounced",service="routing"}' in metrics
    finally:
        await conn.close()


async def test_a_queued_request_is_known_to_be_routed_and_left_alone(services, database_url):
    clients = await services("intake", "routing", demo=True)
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("UPDATE routing.members SET capacity = 0")
        intake = clients["intake"]
        headers = auth(caller("staff", pools=(POOL,)), "intake")
        request_id = (await intake.post("/v1/requests/", json=new_request(), headers=headers)).json()["id"]
        await eventually(
            lambda: conn.fetchval("SELECT routing_version FROM intake.requests WHERE id = $1::uuid", request_id),
            lambda v: v >= 1,
        )
        await asyncio.sleep(1.5)  # longer than the heal delay: the sweep had its chance
        assert (await status_of(intake, request_id, headers))["status"] == "submitted"
        assert await conn.fetchval("SELECT heals FROM intake.requests WHERE id = $1::uuid", request_id) == 0
    finally:
        await conn.close()
