"""Sign-in with a password, and sign-out (here or everywhere). Signing in always starts a new
session (the old id is dropped); wrong passwords are limited per account and per address, and
every sign-in, failure and refusal is in the audit log."""

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import accounts, audit, web
from pwa.limits import Limits
from pwa.records import Account
from pwa.sign_in_config import SignInConfig
from pwa.views.common import page, safe_path
from pwa.views.shell import home_of
from pwa.views.sign_in_steps import after_sign_in, client_ip, give_back_tries, open_session, take_sign_in_tries
from services.demo import organisation
from services.platform.runtime import Runtime

# Sign-out clears what this browser kept for the person: cached pages, cookies, the offline
# queue and the service worker (with its push subscription).
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class SignIn(msgspec.Struct):
    email: str = ""
    password: str = ""
    next: str = "/"


def demo_accounts(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    """On a demo deployment, a few accounts per role to sign in with one tap."""
    runtime: Runtime = request.app.state.runtime
    if not runtime.settings.demo:
        return []
    org = organisation()
    shown = []
    for role, count in (("staff", 2), ("secretary", 2), ("lead", 1), ("admin", 1)):
        people = [p for p in org.people if role in p.roles and (role != "staff" or len(p.roles) == 1)]
        shown += [{"email": p.email, "name": p.name, "role": role, "password": org.password} for p in people[:count]]
    return shown


def sign_in_page(
    request: Request[Any, Any, Any], config: SignInConfig, *, next: str, status_code: int = 200, **context: Any
) -> Template:
    context = {"error": None, "email": "", "retry_after": 0, **context}
    return page(
        request,
        "sign_in",
        None,
        status_code=status_code,
        next=safe_path(next),
        demo_accounts=demo_accounts(request),
        oidc=config.oidc,
        **context,
    )


def signed_out(request: Request[Any, Any, Any]) -> Redirect:
    response = Redirect("/sign-in", status_code=303, headers={"Clear-Site-Data": CLEAR_SITE_DATA})
    response.cookies.append(web.session_cookie(request.app.state, "", max_age=0))
    return response


# These pages take no request connection (`conn: RequestConn`): a refused sign-in still keeps what
# it wrote (the counted try, the "sign_in.failed" audit line) while its answer is a refusal, and the
# password is hashed with no connection held. Each step acquires its own, on purpose.
class AuthController(Controller):
    @get("/sign-in")
    async def sign_in_page(
        self, request: Request[Any, Any, Any], sign_in_config: NamedDependency[SignInConfig], next: FromQuery[str] = "/"
    ) -> Template | Redirect:
        account = await web.current_account(request)
        if account is not None:  # already signed in (a bookmark, the back button): carry on
            return Redirect(safe_path(next) if next not in ("", "/") else home_of(account))
        return sign_in_page(request, sign_in_config, next=next)

    @post("/sign-in")
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        sign_in_config: NamedDependency[SignInConfig],
        rate_limits: NamedDependency[Limits],
        data: URLEncodedBody[SignIn],
    ) -> Response[Any]:
        email, ip = data.email.strip().lower()[:254], client_ip(request)
        async with runtime.pool.acquire() as conn:
            tries = await take_sign_in_tries(conn, rate_limits, email, ip)
            if not tries.allowed:
                subject = await accounts.id_for_email(conn, email)
                await audit.record(
                    conn, "sign_in.limited", actor_id=None, subject_id=subject, detail={"method": "password"}, ip=ip
                )
        if not tries.allowed:
            refused = sign_in_page(
                request,
                sign_in_config,
                next=data.next,
                status_code=429,
                error="too_many",
                email=data.email,
                retry_after=tries.retry_after,
            )
            refused.headers["Retry-After"] = str(tries.retry_after)
            return refused
        account = await accounts.check_password(runtime.pool, email, data.password)
        async with runtime.pool.acquire() as conn:
            if account is None:
                subject = await accounts.id_for_email(conn, email)
                await audit.record(
                    conn, "sign_in.failed", actor_id=None, subject_id=subject, detail={"method": "password"}, ip=ip
                )
            else:
                await give_back_tries(conn, tries, rate_limits, email)
                async with conn.transaction():
                    token, stage = await open_session(conn, request, account, method="password")
        if account is None:
            return sign_in_page(
                request, sign_in_config, next=data.next, status_code=401, error="wrong_password", email=data.email
            )
        return after_sign_in(request, account, token, data.next, stage)

    @post("/sign-out")
    async def sign_out(self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime]) -> Redirect:
        token = request.cookies.get(web.cookie_name(request.app.state))
        if token:
            async with runtime.pool.acquire() as conn:
                await accounts.end_session(conn, token)
        return signed_out(request)

    @post("/sign-out-everywhere")
    async def sign_out_everywhere(
        self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime], account: NamedDependency[Account]
    ) -> Redirect:
        async with runtime.pool.acquire() as conn, conn.transaction():
            ended = await accounts.end_all_sessions(conn, account.id)
            await audit.record(
                conn,
                "sessions.ended",
                actor_id=account.id,
                subject_id=account.id,
                detail={"sessions": ended, "by": "self"},
                ip=client_ip(request),
            )
        return signed_out(request)
