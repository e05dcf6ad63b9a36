"""Integration fixtures: services running in-process (their whole lifespan: migrations,
relay, consumers) on this test's real PostgreSQL and NATS."""

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import asyncpg
import nats
import pytest
from litestar.testing import AsyncTestClient
from nats.js import JetStreamContext

from services.intake.app import create_app as intake_app
from services.platform import bus, db
from services.platform.settings import Settings
from services.recognition.app import create_app as recognition_app
from services.routing.app import create_app as routing_app
from tests.support import close_nats, close_pool

APPS = {"intake": intake_app, "routing": routing_app, "recognition": recognition_app}


@pytest.fixture
async def services(make_settings: Callable[..., Settings]) -> AsyncIterator[Callable[..., Any]]:
    """`await services("intake", "routing", demo=True)` → {name: AsyncTestClient}."""
    async with AsyncExitStack() as stack:

        async def start(*names: str, **overrides: Any) -> dict[str, AsyncTestClient[Any]]:
            clients = {}
            for name in names:
                app = APPS[name](make_settings(name, **overrides))
                clients[name] = await stack.enter_async_context(AsyncTestClient(app=app))
            return clients

        yield start


@pytest.fixture
async def plumbing(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on one service schema holding only the platform's plumbing (outbox, inbox)."""
    pool = await db.connect(database_url, "recognition")
    await db.migrate(pool, "recognition", [])
    yield pool
    await close_pool(pool)


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    """JetStream with secpool's streams declared."""
    nc = await nats.connect(nats_url)
    context = nc.jetstream()
    await bus.ensure_streams(context)
    yield context
    await close_nats(nc)
