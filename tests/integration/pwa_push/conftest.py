"""The pwa in-process (its whole lifespan: migrations, push consumers, delivery worker, live
hub) on this test's PostgreSQL and NATS, a fake push service, and ways to act like the
services (publish their events) and like a signed-in browser."""

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import msgspec
import nats
import pytest
from litestar import Litestar
from litestar.middleware.csrf import generate_csrf_token
from litestar.testing import AsyncTestClient
from nats.js import JetStreamContext

from pwa import accounts
from pwa.app import create_app
from pwa.push.config import PushConfig
from services.contracts.base import Event
from services.platform import db
from services.platform.settings import Settings
from tests.integration.pwa_push.fake_push_service import FakePushService
from tests.support import SECRET, close_conn, close_nats, eventually, new_id

POOL = "pool-secretariaat"


@dataclass
class Person:
    id: str
    token: str

    def headers(self, csrf: bool = True) -> dict[str, str]:
        """What a signed-in browser sends: session cookie, and the CSRF cookie + header app.js sends."""
        token = generate_csrf_token(SECRET)
        cookie = f"secpool={self.token}; csrftoken={token}"
        return {"cookie": cookie, "x-csrf-token": token} if csrf else {"cookie": cookie}


@dataclass
class Pwa:
    """The app under test. Its lifespan runs on the test client's own event loop (a thread),
    so tests reach the database through their own connections (`db()`), never the app's pool."""

    app: Litestar
    client: AsyncTestClient[Litestar]
    js: JetStreamContext
    database_url: str

    @contextlib.asynccontextmanager
    async def db(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await asyncpg.connect(self.database_url, server_settings={"search_path": "pwa"})
        await db.json_codec(conn)  # jsonb as the app's pool reads and writes it
        try:
            yield conn
        finally:
            await close_conn(conn)

    async def person(self, *roles: str, pools: tuple[str, ...] = (POOL,), language: str = "en") -> Person:
        account_id = new_id("acct-")
        async with self.db() as conn:
            await accounts.upsert(
                conn,
                id=account_id,
                email=f"{account_id}@example.org",
                name=account_id,
                password_hash="x",
                roles=list(roles or ("staff",)),
                pools=list(pools),
                language=language,
            )
            token = await accounts.start_session(conn, account_id)
        return Person(account_id, token)

    async def publish(self, event: Event) -> None:
        """As the publishing service's outbox relay would: msgspec JSON with Nats-Msg-Id."""
        subject = type(event).__struct_config__.tag
        assert isinstance(subject, str)
        await self.js.publish(subject, msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)})

    async def handled(self, event: Event) -> None:
        """Wait until a pwa consumer has processed the event (its inbox row exists)."""

        async def seen() -> bool:
            async with self.db() as conn:
                return bool(await conn.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.event_id))

        await eventually(seen, bool)


@pytest.fixture
async def fake_push() -> AsyncIterator[FakePushService]:
    async with FakePushService().running() as service:
        yield service


@pytest.fixture
def pwa_settings(make_settings: Callable[..., Settings], tmp_path: Path) -> Settings:
    return make_settings("pwa", data_dir=str(tmp_path / "data"))


@pytest.fixture
async def pwa(pwa_settings: Settings, fake_push: FakePushService, nats_url: str) -> AsyncIterator[Pwa]:
    app = create_app(pwa_settings, PushConfig(extra_origins=(fake_push.origin,)))
    nc = await nats.connect(nats_url)
    try:
        async with AsyncTestClient(app=app) as client:
            yield Pwa(app=app, client=client, js=nc.jetstream(), database_url=pwa_settings.database_url)
    finally:
        await close_nats(nc)
