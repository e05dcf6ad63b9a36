"""Routes for a browser's push subscription (JSON, signed-in, CSRF header `x-csrf-token`).

POST /push/subscriptions   {endpoint, keys: {p256dh, auth}, expirationTime?} → 201 (409: another
                           account's endpoint, sent without that subscription's keys)
DELETE /push/subscriptions {endpoint} → 204 (also when it was not known)
"""

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
import structlog
from litestar import Controller, Request, delete, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotAuthorizedException, TooManyRequestsException
from litestar.params import JSONBody

from pwa import accounts, limits, web
from pwa.push import guard, store
from pwa.push.config import PushConfig
from pwa.records import Account
from services.platform.db import Conn
from services.platform.runtime import Runtime

log = structlog.get_logger(__name__)


class SubscriptionKeys(msgspec.Struct):
    p256dh: str
    auth: str


class NewSubscription(msgspec.Struct, rename="camel"):
    """PushSubscription.toJSON() as the browser sends it."""

    endpoint: str
    keys: SubscriptionKeys
    # Milliseconds since the epoch, within what a date can hold (a huge one is a 400, not a crash).
    expiration_time: Annotated[float, msgspec.Meta(ge=0, le=253_402_300_799_000)] | None = None


class Unsubscribe(msgspec.Struct):
    endpoint: str


def session_hash(token: str) -> bytes:
    # The key `sessions` is stored under (accounts.py keeps only the token's SHA-256).
    return hashlib.sha256(token.encode()).digest()


async def signed_in(request: Request[Any, Any, Any], conn: Conn) -> tuple[Account, str]:
    """The person and their session token; a JSON 401 (not a redirect) for script callers."""
    token = request.cookies.get(web.cookie_name(request.app.state))
    account = await accounts.account_for_session(conn, token) if token else None
    if account is None or token is None:
        raise NotAuthorizedException("sign in first")
    return account, token


class PushSubscriptions(Controller):
    path = "/push/subscriptions"
    include_in_schema = False

    @post("/", status_code=201)
    async def subscribe(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        push_config: NamedDependency[PushConfig],
        data: JSONBody[NewSubscription],
    ) -> dict[str, str]:
        endpoint = guard.check_endpoint(data.endpoint.strip(), push_config.extra_origins)
        guard.check_keys(data.keys.p256dh, data.keys.auth)
        expires = None
        if data.expiration_time:
            expires = datetime.fromtimestamp(data.expiration_time / 1000, UTC)
        async with runtime.pool.acquire() as conn:
            account, token = await signed_in(request, conn)
            tries = await limits.take(conn, limits.PUSH_SUBSCRIBE, account.id)
            if not tries.allowed:
                raise TooManyRequestsException(
                    "too many subscriptions", headers={"Retry-After": str(tries.retry_after)}
                )
            async with conn.transaction():
                saved = await store.save_subscription(
                    conn,
                    endpoint=endpoint,
                    account_id=account.id,
                    session_hash=session_hash(token),
                    p256dh=data.keys.p256dh,
                    auth=data.keys.auth,
                    expires_at=expires,
                )
        if not saved:
            log.warning("push subscription refused: the endpoint belongs to another account", account_id=account.id)
            raise ClientException("this push subscription belongs to another account", status_code=409)
        return {"status": "subscribed"}

    @delete("/", status_code=204)
    async def unsubscribe(
        self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime], data: JSONBody[Unsubscribe]
    ) -> None:
        async with runtime.pool.acquire() as conn:
            account, _ = await signed_in(request, conn)
            await store.forget_subscription(conn, account.id, data.endpoint.strip())
