"""The steps every way of signing in shares: who is asking (network address, browser), opening
the session (or a half one when a second factor is due or must be set up), the audit line, the
redirect with a fresh cookie, and the answer when too many tries came in."""

from typing import Any
from urllib.parse import urlencode

from litestar import Response
from litestar.response import Redirect, Template

from pwa import accounts, audit, factors, limits, sessions, sign_in_policy, web
from pwa.records import Account
from pwa.sign_in_config import SignInConfig
from pwa.views.common import AnyRequest, page, safe_path
from pwa.views.shell import home_of, needs_welcome
from services.platform.db import Conn

# Sign-in methods that are more than something one knows.
STRONG = ("password+totp", "password+passkey", "passkey", "oidc")


def client_ip(request: AnyRequest) -> str:
    """The peer's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def origin_of(request: AnyRequest, config: SignInConfig) -> str:
    """The address people open: configured, or (one machine, tests) the one this request used."""
    return config.public_url or f"{request.url.scheme}://{request.url.netloc}"


async def open_session(conn: Conn, request: AnyRequest, account: Account, *, method: str) -> tuple[str, str | None]:
    """A new session for `account` signed in by `method`, replacing this browser's old one.
    Returns the token and the stage still due (None: fully signed in)."""
    stage = None
    if method == "password":
        policy = await sign_in_policy.current(conn)
        have = await factors.of_account(conn, account.id)
        if have.totp or (have.passkeys and policy.wants_strong(account.roles)):
            stage = sessions.SECOND_FACTOR
        elif policy.wants_strong(account.roles):
            stage = sessions.ENROL
    token = await accounts.start_session(
        conn,
        account.id,
        replacing=request.cookies.get(web.cookie_name(request.app.state)),
        method=method,
        pending=stage,
        user_agent=request.headers.get("user-agent", ""),
        ip=client_ip(request),
    )
    if stage is None:
        await audit.record(
            conn,
            "sign_in",
            actor_id=account.id,
            subject_id=account.id,
            detail={"method": method},
            ip=client_ip(request),
        )
    return token, stage


def next_after_sign_in(request: AnyRequest, account: Account, next_path: str, stage: str | None) -> str:
    """Where a sign-in goes next: the step still due, else the page asked for (or the person's
    start page, through the first-run steps on a new device)."""
    if stage == sessions.SECOND_FACTOR:
        return "/sign-in/code?" + urlencode({"next": safe_path(next_path)})
    if stage == sessions.ENROL:
        return "/sign-in/set-up?" + urlencode({"next": safe_path(next_path)})
    target = safe_path(next_path) if next_path not in ("", "/") else home_of(account)
    return f"/welcome?{urlencode({'next': target})}" if needs_welcome(request) else target


def after_sign_in(request: AnyRequest, account: Account, token: str, next_path: str, stage: str | None) -> Redirect:
    """The redirect onwards, with the new session cookie."""
    response = Redirect(next_after_sign_in(request, account, next_path, stage), status_code=303)
    response.cookies.append(web.session_cookie(request.app.state, token))
    return response


async def take_sign_in_tries(conn: Conn, config: limits.Limits, email: str, ip: str) -> limits.Verdict:
    """Count a sign-in try against the person's and the address's limits; refused if either is full."""
    by_account = await limits.take(conn, config.sign_in_account, email)
    if not by_account.allowed:
        return by_account
    both = by_account & await limits.take(conn, config.sign_in_address, ip)
    if not both.allowed:
        await limits.give_back(conn, both)
    return both


async def give_back_tries(conn: Conn, verdict: limits.Verdict, config: limits.Limits, email: str) -> None:
    """A right answer: its tries do not count, and earlier typos on this account are forgiven."""
    await limits.give_back(conn, verdict)
    await limits.forget(conn, config.sign_in_account, email)


def too_many(request: AnyRequest, account: Account | None, retry_after: int, **context: Any) -> Response[Any]:
    """429 with Retry-After: a page that says when to try again (JSON for scripts)."""
    headers = {"Retry-After": str(retry_after)}
    if "text/html" not in request.headers.get("accept", "") and not request.headers.get("hx-request"):
        return Response(
            {"status_code": 429, "detail": "Too many tries", "retry_after": retry_after},
            status_code=429,
            headers=headers,
        )
    template: Template = page(request, "too_many", account, status_code=429, retry_after=retry_after, **context)
    template.headers.update(headers)
    return template
