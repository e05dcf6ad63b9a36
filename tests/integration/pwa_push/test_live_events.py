"""Live updates: a signed-in person's `GET /events` stream carries their own requests'
status changes (published on real NATS as intake would), and nobody else's.

The pwa runs under a real uvicorn on 127.0.0.1 (the test client buffers whole responses,
which an endless stream never ends)."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn

from pwa.app import create_app
from pwa.push.config import PushConfig
from services.contracts.intake import RequestStatusChanged
from services.platform.settings import Settings
from tests.integration.pwa_push.conftest import POOL, Pwa
from tests.support import eventually


def status_changed(requester_id: str, request_id: str) -> RequestStatusChanged:
    return RequestStatusChanged(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        request_id=request_id,
        version=2,
        pool_id=POOL,
        requester_id=requester_id,
        status="offered",
        previous="submitted",
    )


@contextlib.asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[str]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, PushConfig()), host="127.0.0.1", port=0, log_level="warning", ws="none")
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, server.started), bool, within=30)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class Stream:
    """An open /events response; `lines` fills as the server writes."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.status = 0

    async def read(self, client: httpx.AsyncClient, cookie: str, opened: asyncio.Event) -> None:
        async with client.stream("GET", "/events", headers={"cookie": cookie, "accept": "text/event-stream"}) as r:
            self.status = r.status_code
            self.content_type = r.headers.get("content-type", "")
            opened.set()
            async for line in r.aiter_lines():
                self.lines.append(line)


@pytest.fixture
async def live_pwa(pwa_settings: Settings, pwa: Pwa) -> AsyncIterator[str]:
    # `pwa` only lends its helpers (accounts, publishing, database); the app under test is served here.
    async with served(pwa_settings) as url:
        yield url


async def test_a_person_sees_their_own_request_change_and_not_someone_elses(live_pwa: str, pwa: Pwa) -> None:
    me, someone = await pwa.person("staff"), await pwa.person("staff")
    mine, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    stream, opened = Stream(), asyncio.Event()
    async with httpx.AsyncClient(base_url=live_pwa, timeout=10) as client:
        reader = asyncio.create_task(stream.read(client, f"secpool={me.token}", opened))
        try:
            await asyncio.wait_for(opened.wait(), 10)
            assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
            await eventually(lambda: asyncio.sleep(0, stream.lines), lambda lines: any("connected" in x for x in lines))

            await pwa.publish(status_changed(someone.id, theirs))
            await pwa.publish(status_changed(me.id, mine))  # after theirs: once mine shows, theirs would have
            await eventually(lambda: asyncio.sleep(0, stream.lines), lambda lines: f"data: {mine}" in lines)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    assert f"event: request-{mine}" in stream.lines and "event: request" in stream.lines
    assert not any(theirs in line for line in stream.lines)


async def test_events_need_a_signed_in_person(pwa: Pwa) -> None:
    refused = await pwa.client.get("/events")
    assert refused.status_code == 401
    expired = await pwa.client.get("/events", headers={"cookie": "secpool=not-a-session"})
    assert expired.status_code == 401
