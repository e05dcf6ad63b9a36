"""What only operators, the pwa and integrations may read: `/metrics` answers only to the
metrics token (SECPOOL_METRICS_TOKEN), and a service's OpenAPI, which declares both ways in
(the pwa's bearer service token, an integration's API key), only to a caller with one of them
(the authentication middleware covers it like every other route)."""

import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusController

from services.platform.tokens import bearer

SCHEME = "serviceToken"
API_KEY_SCHEME = "apiKey"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="metrics"'}


def metrics_controller(token: str) -> type[PrometheusController]:
    """The Prometheus controller, answering only `Authorization: Bearer <token>`; with no token
    configured metrics are off (404), never open."""

    def metrics_token_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not token:
            raise NotFoundException()
        try:
            given = bearer(connection)
        except NotAuthorizedException as exc:
            raise NotAuthorizedException("metrics need the metrics token", headers=_CHALLENGE) from exc
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise NotAuthorizedException("wrong metrics token", headers=_CHALLENGE)

    class Metrics(PrometheusController):
        path = "/metrics"
        opt = {"exclude_from_auth": True}  # noqa: RUF012 (litestar's own attribute): not a service token
        include_in_schema = False
        guards = [metrics_token_guard]  # noqa: RUF012 (litestar's own attribute)

    return Metrics


def openapi_config(title: str) -> OpenAPIConfig:
    """A service's OpenAPI at /schema, every operation requiring the pwa's service token or an
    integration's API key."""
    scheme = SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="JWT",
        description="A service token: EdDSA (Ed25519) signed by the pwa, audience = this service, valid for a minute.",
    )
    api_key = SecurityScheme(
        type="apiKey",
        name="X-Api-Key",
        security_scheme_in="header",
        description=(
            "An integration's API key (spk_<id>_<secret>), made by an admin or the pool's lead in secpool"
            " (Admin → API keys), also accepted as `Authorization: ApiKey <key>`. It acts for one pool: a read"
            " key reads what a member of the pool may read (GET); a write key may also submit requests."
        ),
    )
    return OpenAPIConfig(
        title=title,
        version="1.0.0",
        path="/schema",
        components=Components(security_schemes={SCHEME: scheme, API_KEY_SCHEME: api_key}),
        security=[{SCHEME: []}, {API_KEY_SCHEME: []}],
    )
