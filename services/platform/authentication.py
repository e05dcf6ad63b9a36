"""Who is calling a service: the pwa, with a service token for a person
(`Authorization: Bearer`, services.platform.tokens), or an integration, with an API key
(`X-Api-Key: spk_...` or `Authorization: ApiKey spk_...`, services.platform.api_keys).

A key is checked against this service's own copy of the keys (kept from the pwa's identity
events), so a revocation holds here as soon as its event is handled. A read key that tries to
change something gets 403 with the reason; an unknown, wrong or revoked key 401.
"""

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, ServiceUnavailableException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from services.platform import api_key_store, api_keys, outbox
from services.platform.api_key_events import used_event
from services.platform.checked_tokens import CheckedTokens
from services.platform.tokens import bearer

_CHALLENGE = {"WWW-Authenticate": 'Bearer, ApiKey realm="secpool"'}


def presented_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The API key a call carries, if it carries one rather than a service token."""
    if given := connection.headers.get("x-api-key", "").strip():
        return given
    scheme, _, value = connection.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "apikey" else None


class CallerMiddleware(AbstractAuthenticationMiddleware):
    """Puts the `Caller` in `request.user`: a person's (service token) or an integration's (API key)."""

    def __init__(self, app: ASGIApp, *, audience: str, tokens: CheckedTokens, **kwargs: Any) -> None:
        # `tokens` is one for the whole app: Litestar makes a middleware per route, and a
        # page's calls to one service go to several routes with the same token.
        super().__init__(app, **kwargs)
        self._audience = audience
        self._tokens = tokens

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        text = presented_key(connection)
        if text is None:
            token = bearer(connection)
            return AuthenticationResult(user=self._tokens.caller(token), auth=token)
        presented = api_keys.parse(text)
        if presented is None:
            raise NotAuthorizedException("malformed API key (spk_<id>_<secret>)", headers=_CHALLENGE)
        runtime = getattr(connection.app.state, "runtime", None)
        if runtime is None:
            raise ServiceUnavailableException("starting", headers={"Retry-After": "1"})
        async with runtime.pool.acquire() as conn:
            key = await api_key_store.get(conn, presented.key_id)
            if key is None or not key.secret_sha256 or not api_keys.matches(presented, key.secret_sha256):
                raise NotAuthorizedException("unknown API key", headers=_CHALLENGE)
            if key.revoked:
                raise NotAuthorizedException("this API key was revoked", headers=_CHALLENGE)
            handler = connection.scope.get("route_handler")
            writes = bool(handler is not None and handler.opt.get(api_keys.INTEGRATION_WRITES))
            if why := api_keys.refusal(key.scope, str(connection.scope.get("method", "GET")), writes):
                raise PermissionDeniedException(why)
            async with conn.transaction():
                if await api_key_store.used(conn, key.key_id) and (event := used_event(self._audience, key.key_id)):
                    await outbox.add(conn, event)
        return AuthenticationResult(user=api_keys.caller(key.key_id, key.pool_id, key.name), auth=key)
