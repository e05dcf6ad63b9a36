"""Sign in with the organisation's account (OpenID Connect). The state is kept server-side with
its nonce and PKCE verifier (single use, ten minutes) and is tied to this browser by a cookie, so
a callback link made for someone else's browser signs nobody in here."""

from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect

from pwa import audit, challenges, identity_links
from pwa.oidc import OidcClient, OidcRefused
from pwa.sign_in_config import SignInConfig
from pwa.views.auth import sign_in_page
from pwa.views.common import AnyRequest, safe_path
from pwa.views.sign_in_steps import after_sign_in, client_ip, open_session, origin_of
from services.platform.runtime import Runtime

PURPOSE = "oidc"
STATE_COOKIE = "secpool_oidc"
CALLBACK = "/sign-in/oidc/callback"


def state_cookie(request: AnyRequest, value: str, max_age: int) -> Cookie:
    runtime: Runtime = request.app.state.runtime
    return Cookie(
        key=STATE_COOKIE,
        value=value,
        path="/sign-in/oidc",
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=runtime.settings.cookie_secure,
    )


# No request connection (`conn: RequestConn`) here: a failed sign-in with the identity provider is
# audited and its state used up even though the answer refuses, and no connection is held while the
# provider is asked. Each step acquires its own connection, on purpose.
class OidcPages(Controller):
    path = "/sign-in/oidc"

    @get("/")
    async def start(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        sign_in_config: NamedDependency[SignInConfig],
        oidc: NamedDependency[OidcClient | None],
        next: FromQuery[str] = "/",
    ) -> Response[Any]:
        if oidc is None:
            raise NotFoundException()
        try:
            begun = await oidc.start(origin_of(request, sign_in_config) + CALLBACK)
        except (OidcRefused, OSError, ValueError) as exc:
            async with runtime.pool.acquire() as conn:
                await audit.record(
                    conn,
                    "sign_in.failed",
                    actor_id=None,
                    detail={"method": "oidc", "reason": str(exc)[:200]},
                    ip=client_ip(request),
                )
            return sign_in_page(request, sign_in_config, next=next, status_code=502, error="oidc_failed")
        async with runtime.pool.acquire() as conn:
            await challenges.put(
                conn,
                PURPOSE,
                {"nonce": begun.nonce, "verifier": begun.verifier, "next": safe_path(next)},
                seconds=600,
                id=begun.state,
            )
        response = Redirect(begun.url, status_code=302)
        response.cookies.append(state_cookie(request, begun.state, 600))
        return response

    @get("/callback")
    async def callback(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        sign_in_config: NamedDependency[SignInConfig],
        oidc: NamedDependency[OidcClient | None],
    ) -> Response[Any]:
        if oidc is None:
            raise NotFoundException()
        ip = client_ip(request)
        # `state` is a reserved name for Litestar handlers: read the query by hand.
        state, code = request.query_params.get("state", ""), request.query_params.get("code", "")
        async with runtime.pool.acquire() as conn:
            begun = await challenges.take(conn, state, PURPOSE) if state else None
        next_path = str(begun.payload.get("next", "/")) if begun else "/"
        try:
            if begun is None or request.cookies.get(STATE_COOKIE) != state or not code:
                raise OidcRefused("unknown state, or started in another browser")
            identity = await oidc.finish(
                code=code,
                redirect_uri=origin_of(request, sign_in_config) + CALLBACK,
                verifier=str(begun.payload["verifier"]),
                nonce=str(begun.payload["nonce"]),
            )
        except (OidcRefused, OSError, ValueError) as exc:
            async with runtime.pool.acquire() as conn:
                await audit.record(
                    conn, "sign_in.failed", actor_id=None, ip=ip, detail={"method": "oidc", "reason": str(exc)[:200]}
                )
            refused = sign_in_page(request, sign_in_config, next=next_path, status_code=400, error="oidc_failed")
            refused.cookies.append(state_cookie(request, "", 0))
            return refused
        async with runtime.pool.acquire() as conn, conn.transaction():
            account, linked = await identity_links.account_for(conn, subject=identity.subject, email=identity.email)
            if account is None:
                await audit.record(
                    conn,
                    "sign_in.failed",
                    actor_id=None,
                    ip=ip,
                    detail={"method": "oidc", "reason": "no account for this person"},
                )
            else:
                if linked:
                    await audit.record(conn, "oidc.linked", actor_id=account.id, subject_id=account.id, ip=ip)
                token, _ = await open_session(conn, request, account, method="oidc")
        if account is None:
            unknown = sign_in_page(request, sign_in_config, next=next_path, status_code=403, error="oidc_unknown")
            unknown.cookies.append(state_cookie(request, "", 0))
            return unknown
        response = after_sign_in(request, account, token, next_path, None)
        response.cookies.append(state_cookie(request, "", 0))
        return response
