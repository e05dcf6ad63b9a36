"""Small things tests share: poll-until assertions, callers and their tokens."""

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from services.platform.settings import web_secret
from services.platform.tokens import Caller, new_key_pair, private_key, sign

T = TypeVar("T")
# The pwa's service-token key pair, made once per test process (PEM).
PRIVATE_KEY, PUBLIC_KEY = new_key_pair()
# The pwa's web secret (CSRF, unsubscribe links): the one a pwa given PRIVATE_KEY derives,
# so a test's CSRF tokens hold for an in-process pwa and a pwa process alike.
SECRET = web_secret(private_key(PRIVATE_KEY))
# What /metrics answers to in tests, and the header that carries it.
METRICS_TOKEN = "test-metrics-" + "m" * 20
METRICS = {"authorization": f"Bearer {METRICS_TOKEN}"}


async def eventually(probe: Callable[[], Awaitable[T]], check: Callable[[T], bool], within: float = 5.0) -> T:
    """Poll `probe` until `check` holds; fails with the last value seen."""
    deadline = time.monotonic() + within
    while True:
        value = await probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s; last value: {value!r}")
        await asyncio.sleep(0.02)


async def close_pool(pool: Any, within: float = 10.0) -> None:
    """Close a database pool, or terminate it if a connection is never given back: a fixture's
    teardown must not wait forever."""
    try:
        await asyncio.wait_for(pool.close(), within)
    except TimeoutError:
        pool.terminate()


async def close_nats(nc: Any, within: float = 10.0) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(nc.close(), within)


async def close_conn(conn: Any, within: float = 10.0) -> None:
    try:
        await asyncio.wait_for(conn.close(), within)
    except TimeoutError:
        conn.terminate()


def new_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def caller(*roles: str, pools: tuple[str, ...] = (), account_id: str | None = None) -> Caller:
    return Caller(account_id=account_id or new_id("acct-"), roles=roles or ("staff",), pools=pools)


def auth(who: Caller, audience: str, key: str = PRIVATE_KEY, ttl_seconds: int = 60) -> dict[str, str]:
    return {"authorization": f"Bearer {sign(who, audience=audience, key=key, ttl_seconds=ttl_seconds)}"}


async def nats_hello(url: str, user: str = "", password: str = "") -> str:
    """What nats-server answers a client that says CONNECT (with these credentials) and PING.
    Spoken on a plain socket: nats-py leaves a refused connection's socket for the garbage
    collector, which then warns in whichever test runs next."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        await asyncio.wait_for(reader.readline(), 5)  # the server's INFO
        connect: dict[str, Any] = {"verbose": False, "pedantic": False, "protocol": 1}
        if user:
            connect |= {"user": user, "pass": password}
        writer.write(f"CONNECT {json.dumps(connect)}\r\nPING\r\n".encode())
        await writer.drain()
        return (await asyncio.wait_for(reader.readline(), 5)).decode().strip()
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await asyncio.wait_for(writer.wait_closed(), 5)


def endpoints(app: Any) -> list[str]:
    """Every "METHOD path" a Litestar app routes (HEAD and OPTIONS aside), as the
    authorization matrix (services.platform.access_matrix) names them."""
    found = {
        f"{method} {route.path}"
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        for method in handler.http_methods
        if method not in ("HEAD", "OPTIONS")
    }
    return sorted(found)
