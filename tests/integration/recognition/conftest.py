"""Recognition in-process on this test's PostgreSQL and NATS, with its own settings (daily
limit, prompt TTL, digest period), plus a JetStream client standing in for intake."""

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import asyncpg
import nats
import pytest
from litestar.testing import AsyncTestClient
from nats.js import JetStreamContext

from services.platform import db
from services.platform.settings import Settings
from services.platform.tokens import Caller
from services.recognition.app import create_app
from services.recognition.config import RecognitionConfig
from tests.support import auth, close_nats, close_pool

POOL = "pool-secretariaat"


class Recognition:
    """A running recognition app and a way to call it as someone."""

    def __init__(self, client: AsyncTestClient[Any]) -> None:
        self.client = client

    async def call(self, method: str, path: str, who: Caller, **kwargs: Any) -> Any:
        return await self.client.request(method, path, headers=auth(who, "recognition"), **kwargs)

    async def give(self, who: Caller, **body: Any) -> Any:
        return await self.call("POST", "/v1/kudos", who, json=body)


@pytest.fixture
async def recognition(make_settings: Callable[..., Settings]) -> AsyncIterator[Callable[..., Any]]:
    """`await recognition(daily_limit=3)` → a started Recognition (demo values loaded)."""
    async with AsyncExitStack() as stack:

        async def start(*, demo: bool = True, **config: Any) -> Recognition:
            app = create_app(make_settings("recognition", demo=demo), RecognitionConfig(**config))
            return Recognition(await stack.enter_async_context(AsyncTestClient(app=app)))

        yield start


@pytest.fixture
async def recognition_db(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on recognition's schema in the test's own event loop (the app runs in another)."""
    pool = await db.connect(database_url, "recognition", min_size=1, max_size=2)
    try:
        yield pool
    finally:
        await close_pool(pool)


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    nc = await nats.connect(nats_url)
    try:
        yield nc.jetstream()
    finally:
        await close_nats(nc)
