"""The app shell: start page by role, offline page, the first-run steps (install,
notifications) and the language switch. The service worker and the manifest are static files
at the root (pwa/assets.py), so the worker's scope is the whole app.

/offline holds nothing personal because the worker caches it.
"""

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import accounts, i18n, web
from pwa.records import Account
from pwa.views.common import LANG_COOKIE, AnyRequest, back_to, page, safe_path
from services.platform.runtime import Runtime

WELCOMED_COOKIE = "secpool_welcomed"
YEAR = 365 * 86400


def home_of(account: Account) -> str:
    """Members start at their offers (push notifications link there), everyone else at their requests."""
    return "/offers" if account.has("secretary") else "/requests"


def plain_cookie(request: AnyRequest, key: str, value: str) -> Cookie:
    runtime: Runtime = request.app.state.runtime
    return Cookie(
        key=key,
        value=value,
        path="/",
        max_age=YEAR,
        samesite="lax",
        httponly=True,
        secure=runtime.settings.cookie_secure,
    )


class LanguageChoice(msgspec.Struct):
    lang: str = ""
    next: str = "/"


class Welcome(msgspec.Struct):
    next: str = "/"


class ShellController(Controller):
    @get("/")
    async def home(self, account: NamedDependency[Account]) -> Redirect:
        return Redirect(home_of(account))

    @get("/offline", include_in_schema=False)
    async def offline(self, request: AnyRequest) -> Template:
        return page(request, "offline", None)

    @get("/welcome")
    async def welcome(
        self, request: AnyRequest, account: NamedDependency[Account], next: FromQuery[str] = ""
    ) -> Template:
        return page(request, "welcome", account, next=safe_path(next, home_of(account)))

    @post("/welcome")
    async def welcomed(
        self, request: AnyRequest, account: NamedDependency[Account], data: URLEncodedBody[Welcome]
    ) -> Redirect:
        # Installing and notifications belong to a device, so "seen the steps" is a cookie.
        response = Redirect(safe_path(data.next, home_of(account)), status_code=303)
        response.cookies.append(plain_cookie(request, WELCOMED_COOKIE, "1"))
        return response

    @post("/language")
    async def choose_language(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], data: URLEncodedBody[LanguageChoice]
    ) -> Redirect:
        lang = data.lang if data.lang in i18n.LANGUAGES else i18n.DEFAULT
        # Not the request's connection: reading the session takes one of its own first.
        account = await web.current_account(request)
        if account is not None:
            async with runtime.pool.acquire() as conn:
                await accounts.set_language(conn, account.id, lang)
        response = back_to(safe_path(data.next))
        response.cookies.append(plain_cookie(request, LANG_COOKIE, lang))
        return response


def needs_welcome(request: AnyRequest) -> bool:
    return request.cookies.get(WELCOMED_COOKIE) != "1"
