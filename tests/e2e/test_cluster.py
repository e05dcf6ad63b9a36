"""`secpool up --cluster` on loopback: three clustered nats-server nodes with R3 streams and
two processes of every service and of the pwa; requests keep being offered when a NATS node
or a service process is killed."""

import asyncio
import uuid
from pathlib import Path

import httpx
import nats
import pytest

from services.cli import nats_users
from services.contracts import streams
from services.demo import organisation
from services.platform.tokens import Caller, sign
from tests.e2e.launched import Up
from tests.support import eventually, nats_hello


async def offered_through(up: Up) -> None:
    """One request through intake, until routing has offered it."""
    anna = next(p for p in organisation().people if p.email == "anna@example.org")
    key = (up.data_dir / "token-key.pem").read_text()
    who = Caller(account_id=anna.id, roles=("staff",), pools=tuple(anna.pools))
    headers = {"authorization": f"Bearer {sign(who, audience='intake', key=key)}"}
    body = {"type_id": "letter", "description": "In het cluster", "idempotency_key": str(uuid.uuid4())}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{up.service_port('intake')}", timeout=10) as intake:

        async def submit() -> httpx.Response | None:
            try:
                return await intake.post("/v1/requests/", json=body, headers=headers)
            except httpx.HTTPError:
                return None

        created = await eventually(submit, lambda r: r is not None and r.status_code in (200, 201), within=30)
        assert created is not None
        url = f"/v1/requests/{created.json()['id']}"
        await eventually(lambda: intake.get(url, headers=headers), lambda r: r.json()["status"] == "offered", within=30)


@pytest.mark.slow
async def test_cluster_runs_three_nats_nodes_r3_streams_and_two_of_every_process(tmp_path: Path):
    up = Up(tmp_path / "data", "--cluster", SECPOOL_COOKIE_SECURE="0")
    try:
        await asyncio.to_thread(up.wait_for, "secpool is running", 120)
        nodes = up.processes("nats-server")
        assert len(nodes) == 3
        for app in ("services.intake.app", "services.routing.app", "services.recognition.app", "pwa.app"):
            assert len(up.processes(app)) == 2, app
        urls = [f"nats://127.0.0.1:{n.cmdline()[n.cmdline().index('-p') + 1]}" for n in nodes]
        for url in urls:  # the embedded cluster has users: no anonymous client on any node
            assert "Authorization Violation" in await nats_hello(url)
        password = nats_users.passwords(up.data_dir)["intake"]
        as_intake = nats_users.url_for("intake", password, ",".join(urls)).split(",")
        nc = await nats.connect(servers=as_intake, inbox_prefix=streams.inbox_prefix("intake"))
        try:
            for stream in ("INTAKE", "ROUTING", "RECOGNITION", "IDENTITY"):
                info = await nc.jetstream().stream_info(stream)
                assert info.config.num_replicas == 3 and info.cluster is not None
        finally:
            await nc.close()
        await offered_through(up)

        nodes[0].kill()
        up.processes("services.routing.app")[0].kill()
        await offered_through(up)
        await asyncio.to_thread(up.wait_for, "restarting in", 10)
    finally:
        if up.proc.poll() is None:
            await asyncio.to_thread(up.stop)
