"""My sign-in settings: the sessions I have open (end one, or all), an authenticator app as a
second factor (set up with a QR code, or turn off), and my passkeys."""

from base64 import urlsafe_b64encode
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import audit, factors, sessions, sign_in_policy, web
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, page
from pwa.views.second_factor import confirm_setup, qr_title, totp_setup
from pwa.views.sign_in_steps import client_ip
from services.platform.unit_of_work import RequestConn


class TotpForm(msgspec.Struct):
    setup: str = ""
    code: str = ""


def passkey_ref(credential_id: bytes) -> str:
    return urlsafe_b64encode(credential_id).decode().rstrip("=")


class SecurityPages(Controller):
    path = "/settings"

    @get("/sign-in")
    async def sign_in_settings(
        self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn
    ) -> Template:
        token = request.cookies.get(web.cookie_name(request.app.state), "")
        mine = await sessions.of_account(conn, account.id, current_token=token)
        have = await factors.of_account(conn, account.id)
        keys = await factors.passkeys(conn, account.id)
        policy = await sign_in_policy.current(conn)
        return page(
            request,
            "sign_in_settings",
            account,
            sessions=mine,
            factors=have,
            policy=policy,
            passkeys=[(passkey_ref(k.credential_id), k) for k in keys],
        )

    @post("/sessions/{session_id:uuid}/end")
    async def end_session(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        session_id: FromPath[UUID],
    ) -> Redirect:
        if await sessions.end_one(conn, account.id, session_id):
            await audit.record(
                conn,
                "sessions.ended",
                actor_id=account.id,
                subject_id=account.id,
                detail={"sessions": 1, "by": "self"},
                ip=client_ip(request),
            )
        return back_to("/settings/sign-in", "session_ended")

    @get("/sign-in/totp")
    async def totp_page(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Template:
        setup = await totp_setup(conn, account, qr_title(request, account))
        return page(request, "totp_set_up", account, error=None, **setup)

    @post("/sign-in/totp")
    async def totp_on(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        data: URLEncodedBody[TotpForm],
    ) -> Template | Redirect:
        if await confirm_setup(conn, account, data.setup, data.code):
            return back_to("/settings/sign-in", "totp_on")
        setup = await totp_setup(conn, account, qr_title(request, account))
        return page(request, "totp_set_up", account, status_code=400, error="wrong_code", **setup)

    @post("/sign-in/totp/off")
    async def totp_off(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Redirect:
        await factors.set_totp(conn, account.id, None)
        await audit.record(
            conn,
            "second_factor.removed",
            actor_id=account.id,
            subject_id=account.id,
            detail={"kind": "totp"},
            ip=client_ip(request),
        )
        return back_to("/settings/sign-in", "totp_off")
