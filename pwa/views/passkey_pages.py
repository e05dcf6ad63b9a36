"""Passkeys over JSON for static/passkeys.js: sign in with one (no e-mail needed: the browser
offers the person's passkeys for this site), and add or remove one on the sign-in settings.
Challenges are kept server-side, single use, for five minutes."""

from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

import msgspec
from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect

from pwa import accounts, audit, challenges, factors, limits, passkeys, sessions, web
from pwa.records import Account
from pwa.sign_in_config import SignInConfig
from pwa.views.common import AnyRequest, back_to
from pwa.views.sign_in_steps import client_ip, next_after_sign_in, open_session, origin_of, too_many
from services.platform.runtime import Runtime

SIGN_IN, REGISTER = "passkey-sign-in", "passkey-register"


class Answer(msgspec.Struct):
    challenge: str
    credential: dict[str, Any]
    next: str = "/"
    name: str = ""


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


def refused(reason: str) -> Response[Any]:
    return Response({"status_code": 400, "detail": reason}, status_code=400)


async def who_is_enrolling(request: AnyRequest, runtime: Runtime) -> tuple[Account | None, str | None]:
    """The signed-in person, or one whose sign-in waits for a second factor to be set up."""
    account = await web.current_account(request)
    if account is not None:
        return account, None
    token = request.cookies.get(web.cookie_name(request.app.state), "")
    async with runtime.pool.acquire() as conn:
        pending = await sessions.pending(conn, token) if token else None
        if pending is None or pending.stage != sessions.ENROL:
            return None, None
        return await accounts.get(conn, pending.account_id), sessions.ENROL


# No request connection (`conn: RequestConn`) here: a refused passkey still uses up its challenge and
# leaves its counted try and audit line, which one transaction rolled back with the refusal would
# undo. Each step acquires its own connection, on purpose.
class PasskeyPages(Controller):
    @post("/sign-in/passkey/options")
    async def sign_in_options(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], sign_in_config: NamedDependency[SignInConfig]
    ) -> Response[Any]:
        challenge, options = passkeys.sign_in_options(origin_of(request, sign_in_config))
        async with runtime.pool.acquire() as conn:
            tries = await limits.take(conn, limits.PASSKEY_OPTIONS, client_ip(request))
            if not tries.allowed:
                return too_many(request, None, tries.retry_after)
            challenge_id = await challenges.put(conn, SIGN_IN, {"challenge": _b64(challenge)})
        return Response({"challenge": challenge_id, "publicKey": options})

    @post("/sign-in/passkey")
    async def sign_in(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        sign_in_config: NamedDependency[SignInConfig],
        data: JSONBody[Answer],
    ) -> Response[Any]:
        origin, ip = origin_of(request, sign_in_config), client_ip(request)
        async with runtime.pool.acquire() as conn, conn.transaction():
            pending = await challenges.take(conn, data.challenge, SIGN_IN)
            stored = await factors.passkey(conn, passkeys.credential_id(data.credential)) if pending else None
            account = await accounts.usable(conn, stored.account_id) if stored else None
            try:
                if pending is None or stored is None or account is None:
                    raise passkeys.PasskeyRefused("unknown challenge or passkey")
                count = passkeys.check_sign_in(
                    origin,
                    data.credential,
                    _unb64(pending.payload["challenge"]),
                    public_key=stored.public_key,
                    sign_count=stored.sign_count,
                )
            except passkeys.PasskeyRefused as exc:
                await audit.record(
                    conn,
                    "sign_in.failed",
                    actor_id=None,
                    subject_id=account.id if account else None,
                    detail={"method": "passkey", "reason": str(exc)[:200]},
                    ip=ip,
                )
                return refused("That passkey was not accepted.")
            await factors.passkey_used(conn, stored.credential_id, count)
            token, _ = await open_session(conn, request, account, method="passkey")
        response: Response[Any] = Response({"next": next_after_sign_in(request, account, data.next, None)})
        response.cookies.append(web.session_cookie(request.app.state, token))
        return response

    @post("/settings/passkeys/options")
    async def register_options(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], sign_in_config: NamedDependency[SignInConfig]
    ) -> Response[Any]:
        account, _ = await who_is_enrolling(request, runtime)
        if account is None:
            return Response({"status_code": 401, "detail": "Sign in first."}, status_code=401)
        async with runtime.pool.acquire() as conn:
            existing = [p.credential_id for p in await factors.passkeys(conn, account.id)]
            challenge, options = passkeys.registration_options(
                origin_of(request, sign_in_config),
                account_id=account.id,
                email=account.email,
                name=account.name,
                existing=existing,
            )
            challenge_id = await challenges.put(conn, REGISTER, {"challenge": _b64(challenge)}, account_id=account.id)
        return Response({"challenge": challenge_id, "publicKey": options})

    @post("/settings/passkeys")
    async def register(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        sign_in_config: NamedDependency[SignInConfig],
        data: JSONBody[Answer],
    ) -> Response[Any]:
        account, stage = await who_is_enrolling(request, runtime)
        if account is None:
            return Response({"status_code": 401, "detail": "Sign in first."}, status_code=401)
        async with runtime.pool.acquire() as conn, conn.transaction():
            pending = await challenges.take(conn, data.challenge, REGISTER)
            if pending is None or pending.account_id != account.id:
                return refused("This passkey request expired. Try again.")
            try:
                made = passkeys.check_registration(
                    origin_of(request, sign_in_config), data.credential, _unb64(pending.payload["challenge"])
                )
            except passkeys.PasskeyRefused:
                return refused("That passkey was not accepted.")
            name = data.name.strip()[:60] or (request.headers.get("user-agent", "")[:60] or "passkey")
            await factors.add_passkey(
                conn,
                account_id=account.id,
                credential_id=made.credential_id,
                public_key=made.public_key,
                sign_count=made.sign_count,
                name=name,
            )
            await audit.record(
                conn,
                "second_factor.added",
                actor_id=account.id,
                subject_id=account.id,
                detail={"kind": "passkey"},
                ip=client_ip(request),
            )
            if stage != sessions.ENROL:
                return Response({"next": "/settings/sign-in?notice=passkey_added"})
            token, _ = await open_session(conn, request, account, method="password+passkey")
        response: Response[Any] = Response({"next": next_after_sign_in(request, account, data.next, None)})
        response.cookies.append(web.session_cookie(request.app.state, token))
        return response

    @post("/settings/passkeys/{credential:str}/remove")
    async def remove(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        account: NamedDependency[Account],
        credential: FromPath[str],
    ) -> Redirect:
        try:
            credential_id = _unb64(credential)
        except ValueError:
            return back_to("/settings/sign-in", "refused")
        async with runtime.pool.acquire() as conn, conn.transaction():
            if await factors.remove_passkey(conn, account.id, credential_id):
                await audit.record(
                    conn,
                    "second_factor.removed",
                    actor_id=account.id,
                    subject_id=account.id,
                    detail={"kind": "passkey"},
                    ip=client_ip(request),
                )
        return back_to("/settings/sign-in", "passkey_removed")
