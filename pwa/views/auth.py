"""Sign-in and sign-out. Signing in always starts a new session (the old id is dropped)."""

from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import accounts, web
from pwa.accounts import Account
from pwa.views.common import page, safe_path
from pwa.views.shell import home_of, needs_welcome
from services.demo import organisation
from services.platform.runtime import Runtime


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


class AuthController(Controller):
    @get("/sign-in")
    async def sign_in_page(self, request: Request[Any, Any, Any], next: FromQuery[str] = "/") -> Template | Redirect:
        account = await web.current_account(request)
        if account is not None:  # already signed in (a bookmark, the back button): carry on
            return Redirect(safe_path(next) if next not in ("", "/") else home_of(account))
        return page(request, "sign_in", None, next=safe_path(next), error=None, email="",
                    demo_accounts=demo_accounts(request))  # fmt: skip

    @post("/sign-in")
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        data: URLEncodedBody[SignIn],
    ) -> Template | Redirect:
        async with runtime.pool.acquire() as conn:
            account = await accounts.check_password(conn, data.email, data.password)
            if account is None:
                return page(request, "sign_in", None, status_code=401, next=safe_path(data.next),
                            error="wrong_password", email=data.email, demo_accounts=demo_accounts(request))  # fmt: skip
            old = request.cookies.get(web.cookie_name(request.app.state))
            token = await accounts.start_session(conn, account.id, replacing=old)
        target = safe_path(data.next) if data.next not in ("", "/") else home_of(account)
        if needs_welcome(request):
            # First time on this device: offer to install the app and turn on notifications.
            target = f"/welcome?{urlencode({'next': target})}"
        response = Redirect(target, status_code=303)
        response.cookies.append(web.session_cookie(request.app.state, token))
        return response

    @post("/sign-out")
    async def sign_out(self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime]) -> Redirect:
        token = request.cookies.get(web.cookie_name(request.app.state))
        if token:
            async with runtime.pool.acquire() as conn:
                await accounts.end_session(conn, token)
        response = Redirect("/sign-in", status_code=303)
        response.cookies.append(web.session_cookie(request.app.state, "", max_age=0))
        return response

    @post("/sign-out-everywhere")
    async def sign_out_everywhere(
        self, request: Request[Any, Any, Any], runtime: NamedDependency[Runtime], account: NamedDependency[Account]
    ) -> Redirect:
        async with runtime.pool.acquire() as conn:
            await accounts.end_all_sessions(conn, account.id)
        response = Redirect("/sign-in", status_code=303)
        response.cookies.append(web.session_cookie(request.app.state, "", max_age=0))
        return response
