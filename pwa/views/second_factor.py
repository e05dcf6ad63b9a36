"""The second step of a password sign-in: the code from an authenticator app (TOTP), or setting
one up when the organisation asks leads and admins for more than a password. Only a browser
holding a half-finished sign-in reaches these pages; finishing rotates the session id."""

from typing import Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import accounts, audit, challenges, factors, i18n, limits, sessions, totp, web
from pwa.records import Account, Pending
from pwa.views.common import AnyRequest, language_of, page, safe_path
from pwa.views.sign_in_steps import after_sign_in, client_ip, open_session, too_many
from services.platform.db import Conn
from services.platform.runtime import Runtime

TOTP_SETUP = "totp-setup"


class CodeForm(msgspec.Struct):
    code: str = ""
    next: str = "/"
    setup: str = ""


async def totp_setup(conn: Conn, account: Account, title: str) -> dict[str, Any]:
    """A new secret waiting for its first code: the QR code, the secret to type, its id."""
    secret = totp.new_secret()
    setup_id = await challenges.put(conn, TOTP_SETUP, {"secret": secret}, account_id=account.id, seconds=900)
    return {
        "setup_id": setup_id,
        "qr": totp.qr_svg(totp.link(secret, account.email), title=title),
        "secret": totp.grouped(secret),
    }


async def confirm_setup(conn: Conn, account: Account, setup_id: str, code: str) -> bool:
    """Turn TOTP on if `code` fits the secret being set up (the same code cannot be used again)."""
    pending = await challenges.peek(conn, setup_id, TOTP_SETUP, account_id=account.id)
    if pending is None:
        return False
    step = totp.accepted_step(pending.payload["secret"], code, last_step=None)
    if step is None:
        return False
    await challenges.take(conn, setup_id, TOTP_SETUP)
    await factors.set_totp(conn, account.id, pending.payload["secret"], step=step)
    await audit.record(conn, "second_factor.added", actor_id=account.id, subject_id=account.id, detail={"kind": "totp"})
    return True


async def half_signed_in(request: AnyRequest, runtime: Runtime, stage: str) -> tuple[Pending, Account] | None:
    token = request.cookies.get(web.cookie_name(request.app.state), "")
    async with runtime.pool.acquire() as conn:
        pending = await sessions.pending(conn, token) if token else None
        account = await accounts.get(conn, pending.account_id) if pending and pending.stage == stage else None
    return None if pending is None or account is None else (pending, account)


def qr_title(request: AnyRequest, account: Account | None) -> str:
    return i18n.translations(language_of(request, account)).gettext("QR code for your authenticator app")


# No request connection (`conn: RequestConn`) here: a wrong code is counted against the rate limit
# and audited even though the answer refuses; one transaction rolled back with the refusal would
# forget the try. Each step acquires its own connection, on purpose.
class SecondFactorPages(Controller):
    path = "/sign-in"

    @get("/code")
    async def code_page(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], next: FromQuery[str] = "/"
    ) -> Template | Redirect:
        found = await half_signed_in(request, runtime, sessions.SECOND_FACTOR)
        if found is None:
            return Redirect("/sign-in")
        async with runtime.pool.acquire() as conn:
            have = await factors.of_account(conn, found[1].id)
        return page(request, "sign_in_code", None, next=safe_path(next), factors=have, error=None)

    @post("/code")
    async def enter_code(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], data: URLEncodedBody[CodeForm]
    ) -> Response[Any]:
        found = await half_signed_in(request, runtime, sessions.SECOND_FACTOR)
        if found is None:
            return Redirect("/sign-in", status_code=303)
        account, ip = found[1], client_ip(request)
        async with runtime.pool.acquire() as conn, conn.transaction():
            tries = await limits.take(conn, limits.SECOND_FACTOR, account.id)
            if not tries.allowed:
                return too_many(request, None, tries.retry_after)
            secret = await factors.totp(conn, account.id)
            step = None if secret is None else totp.accepted_step(secret.secret, data.code, last_step=secret.last_step)
            if step is None or not await factors.use_step(conn, account.id, step):
                await audit.record(
                    conn, "sign_in.failed", actor_id=None, subject_id=account.id, detail={"method": "totp"}, ip=ip
                )
                have = await factors.of_account(conn, account.id)
                return page(
                    request,
                    "sign_in_code",
                    None,
                    status_code=401,
                    next=safe_path(data.next),
                    factors=have,
                    error="wrong_code",
                )
            await limits.give_back(conn, tries)
            token, _ = await open_session(conn, request, account, method="password+totp")
        return after_sign_in(request, account, token, data.next, None)

    @get("/set-up")
    async def set_up_page(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], next: FromQuery[str] = "/"
    ) -> Template | Redirect:
        found = await half_signed_in(request, runtime, sessions.ENROL)
        if found is None:
            return Redirect("/sign-in")
        async with runtime.pool.acquire() as conn:
            setup = await totp_setup(conn, found[1], qr_title(request, None))
        return page(request, "sign_in_set_up", None, next=safe_path(next), error=None, **setup)

    @post("/set-up")
    async def set_up(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], data: URLEncodedBody[CodeForm]
    ) -> Response[Any]:
        found = await half_signed_in(request, runtime, sessions.ENROL)
        if found is None:
            return Redirect("/sign-in", status_code=303)
        account = found[1]
        async with runtime.pool.acquire() as conn, conn.transaction():
            tries = await limits.take(conn, limits.SECOND_FACTOR, account.id)
            if not tries.allowed:
                return too_many(request, None, tries.retry_after)
            if not await confirm_setup(conn, account, data.setup, data.code):
                setup = await totp_setup(conn, account, qr_title(request, None))
                return page(
                    request,
                    "sign_in_set_up",
                    None,
                    status_code=400,
                    next=safe_path(data.next),
                    error="wrong_code",
                    **setup,
                )
            await limits.give_back(conn, tries)
            token, _ = await open_session(conn, request, account, method="password+totp")
        return after_sign_in(request, account, token, data.next, None)
