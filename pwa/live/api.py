"""`GET /events`: the signed-in person's Server-Sent Events stream (see pwa/live/__init__.py)."""

import time
from collections.abc import AsyncIterator
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.response import ServerSentEvent, ServerSentEventMessage

from pwa import accounts, web
from pwa.live.hub import LiveHub
from services.platform.runtime import Runtime

RETRY_MS = 3000
SESSION_CHECK_SECONDS = 60.0  # a revoked session ends its open streams within about a minute


@get("/events", include_in_schema=False)
async def events(
    request: Request[Any, Any, Any], runtime: NamedDependency[Runtime], live_hub: NamedDependency[LiveHub]
) -> ServerSentEvent:
    token = request.cookies.get(web.cookie_name(request.app.state)) or ""
    async with runtime.pool.acquire() as conn:
        account = await accounts.account_for_session(conn, token) if token else None
    if account is None:
        raise NotAuthorizedException("sign in first")

    async def still_signed_in() -> bool:
        async with runtime.pool.acquire() as conn:
            return await accounts.account_for_session(conn, token) is not None

    async def stream() -> AsyncIterator[ServerSentEventMessage]:
        with live_hub.connect(account) as connection:
            yield ServerSentEventMessage(data=None, comment="connected", retry=RETRY_MS)
            checked = time.monotonic()
            while True:
                signals = await connection.next(live_hub.heartbeat_seconds)
                if time.monotonic() - checked > SESSION_CHECK_SECONDS:
                    if not await still_signed_in():
                        return
                    checked = time.monotonic()
                if signals is None:
                    yield ServerSentEventMessage(data=None, comment="keep-alive")
                    continue
                for signal in signals:
                    yield ServerSentEventMessage(event=signal.event, data=signal.data)

    return ServerSentEvent(stream(), headers={"Cache-Control": "no-store"})
