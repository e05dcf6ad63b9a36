"""The embedded NATS's users (as `secpool up` makes them): a client without a user is refused;
each process publishes only its own service's subjects and reads only what it consumes, through
replies nobody else can read; with those users the whole request flow still runs."""

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from litestar.testing import AsyncTestClient
from nats.errors import Error as NatsError

from pwa.app import create_app as pwa_app
from services.cli import nats_users
from services.cli.embedded import EmbeddedNats
from services.contracts import streams
from services.platform import bus
from services.platform.settings import Settings
from tests.support import auth, caller, close_nats, eventually, nats_hello

POOL = "pool-secretariaat"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedNats]:
    users = nats_users.passwords(tmp_path)
    running = EmbeddedNats(tmp_path / "nats", sync_always=False, authorization=nats_users.authorization(users)).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def secured(server: EmbeddedNats, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A nats-server with secpool's users: (its URL without credentials, each user's password)."""
    return server.url, nats_users.passwords(tmp_path)


async def connect_as(user: str, secured: tuple[str, dict[str, str]], errors: list[str]) -> Any:
    url, users = secured

    async def record(exc: Exception) -> None:
        errors.append(str(exc))

    return await nats.connect(
        nats_users.url_for(user, users[user], url),
        inbox_prefix=streams.inbox_prefix(user),
        error_cb=record,
        max_reconnect_attempts=0,
    )


async def test_a_client_without_a_user_or_with_a_wrong_password_is_refused(secured):
    url, users = secured
    assert "Authorization Violation" in await nats_hello(url)
    assert "Authorization Violation" in await nats_hello(url, "intake", "not-the-password")
    assert await nats_hello(url, "intake", users["intake"]) == "PONG"


async def test_a_service_cannot_publish_another_services_subjects_or_read_what_it_does_not_consume(secured, server):
    errors: list[str] = []
    nc = await connect_as("intake", secured, errors)
    try:
        js = nc.jetstream()
        await bus.ensure_streams(js, 1)
        await js.publish("secpool.intake.request.submitted", b"{}")  # its own: acknowledged
        await nc.publish("secpool.routing.request.offered", b"{}")
        with pytest.raises((NatsError, asyncio.TimeoutError)):
            await js.publish("secpool.routing.request.completed", b"{}", timeout=1)
        for subject in ("secpool.routing.>", "_INBOX.>", "_INBOX_routing.>"):  # nor others' replies
            await nc.subscribe(subject)
        with pytest.raises((NatsError, asyncio.TimeoutError)):
            await nc.jetstream(timeout=1).pull_subscribe("secpool.recognition.>", durable="snoop", stream="RECOGNITION")
        await nc.flush()
        await eventually(lambda: asyncio.sleep(0, errors), lambda e: len(e) >= 5, within=5)
        assert (await js.stream_info("ROUTING")).state.messages == 0
        assert (await js.stream_info("INTAKE")).state.messages == 1
    finally:
        await close_nats(nc)
    violations = " ".join(errors).lower()
    assert 'publish to "secpool.routing.request.offered"' in violations
    assert 'subscription to "secpool.routing.>"' in violations and 'subscription to "_inbox.>"' in violations
    assert "Violation" in server.child_log()  # the server says so too (the next test counts on it)


async def test_every_process_runs_with_its_own_user(secured, server, make_settings: Callable[..., Settings]):
    url, users = secured
    own = {name: nats_users.url_for(name, users[name], url) for name in ("intake", "routing", "recognition", "pwa")}
    from services.intake.app import create_app as intake_app
    from services.recognition.app import create_app as recognition_app
    from services.routing.app import create_app as routing_app

    apps = {"intake": intake_app, "routing": routing_app, "recognition": recognition_app, "pwa": pwa_app}
    async with contextlib.AsyncExitStack() as stack:
        clients = {}
        for name, create in apps.items():
            settings = make_settings(name, nats_url=own[name], demo=True)
            clients[name] = await stack.enter_async_context(AsyncTestClient(app=create(settings)))
        for name, client in clients.items():
            assert (await client.get("/ready")).json() == {"status": "ready"}, name
        intake, staff = clients["intake"], caller("staff", pools=(POOL,))
        body = {
            "type_id": "agenda-meeting",
            "description": "Met eigen gebruikers",
            "idempotency_key": str(uuid.uuid4()),
        }
        created = await intake.post("/v1/requests/", json=body, headers=auth(staff, "intake"))
        assert created.status_code == 201, created.text

        async def fetch() -> dict[str, Any]:
            found: dict[str, Any] = (
                await intake.get(f"/v1/requests/{created.json()['id']}", headers=auth(staff, "intake"))
            ).json()
            return found

        offered = await eventually(fetch, lambda r: r["status"] == "offered", within=10)
        assert offered["member_id"]
        for name, client in clients.items():
            assert (await client.get("/ready")).json() == {"status": "ready"}, name
        # A refused subscription or publish is not raised to the process: the server's log says it.
        assert "Violation" not in server.child_log()
