"""The pwa's web plumbing: who is signed in (server-side sessions in a `__Host-` cookie),
security headers (strict CSP), and the redirect to sign-in."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import asyncpg
from litestar import Request, Response
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.response import Redirect
from litestar.types import Message, Scope

from pwa import accounts
from pwa.records import Account
from services.platform.runtime import Runtime
from services.platform.unit_of_work import PooledConn, unit_of_work

# No inline script or style, no eval: htmx runs with allowEval=false.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Browsers only ever use https for this host once they saw it there (two years).
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SignInRequired(Exception):
    """Raised by pages that need a person; answered with a redirect to the sign-in page."""


async def security_headers(message: Message, _: Scope) -> None:
    """A `before_send` hook, so every answer carries the headers: also a 404 for a path no route
    matches (route middleware never sees those)."""
    if message["type"] == "http.response.start":
        message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]


def cookie_name(state: State) -> str:
    runtime: Runtime = state.runtime
    return "__Host-secpool" if runtime.settings.cookie_secure else "secpool"


def session_cookie(state: State, token: str, *, max_age: int = accounts.SESSION_DAYS * 86400) -> Cookie:
    runtime: Runtime = state.runtime
    return Cookie(
        key=cookie_name(state),
        value=token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=runtime.settings.cookie_secure,
        max_age=max_age,
    )


async def current_account(request: Request[Any, Any, Any]) -> Account | None:
    token = request.cookies.get(cookie_name(request.app.state))
    if not token:
        return None
    runtime: Runtime = request.app.state.runtime
    async with runtime.pool.acquire() as conn:
        return await accounts.account_for_session(conn, token)


async def request_conn(request: Request[Any, Any, Any], runtime: NamedDependency[Runtime]) -> AsyncIterator[PooledConn]:
    """The request's connection (`conn: RequestConn`, see services.platform.unit_of_work), taken
    only after `account`: that dependency borrows a connection of its own to read the session,
    and a request holding one while waiting for another could, with the pool full of such
    requests, wait forever. Depending on `runtime` puts this one in Litestar's later batch."""
    async with contextlib.asynccontextmanager(unit_of_work)(request, request.app.state) as conn:
        yield conn


async def provide_account(request: Request[Any, Any, Any]) -> Account:
    """Dependency for pages that need a signed-in person."""
    account = await current_account(request)
    if account is None:
        raise SignInRequired()
    request.scope["account"] = account  # type: ignore[typeddict-unknown-key]
    return account


async def person_behind_error(exc: Exception, scope: Scope) -> None:
    """An `after_exception` hook: a path no route matches never ran provide_account, so the error
    page would not know the person (their language, their tab bar). Exception handlers are
    synchronous; this hook runs just before them and may read the session."""
    if scope["type"] != ScopeType.HTTP or "account" in scope or getattr(exc, "status_code", 0) not in (404, 405):
        return
    try:
        account = await current_account(Request(scope))
    except (OSError, asyncpg.PostgresError):
        return  # the database does not answer: the error page still comes, without the person
    if account is not None:
        scope["account"] = account  # type: ignore[typeddict-unknown-key]


def to_sign_in(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    """Back to the same page (query included) after signing in; htmx gets a full navigation."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.headers.get("hx-request"):
        # htmx follows HX-Redirect with a full navigation instead of swapping a login page in.
        return Response(content=None, status_code=204, headers={"HX-Redirect": "/sign-in"})
    if request.url.path in ("/", "/sign-in"):
        return Redirect("/sign-in")
    return Redirect("/sign-in?" + urlencode({"next": target}))
