"""Service tokens: the pwa signs a short-lived token per call; services accept nothing else.

A token says who is calling (account id, roles, pools) and for which service (audience), so
a token for intake cannot be replayed against routing.
"""

import time
from typing import Any

import jwt
import msgspec
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

ALGORITHM = "HS256"


class Caller(msgspec.Struct, frozen=True):
    """Who a service call is made for."""

    account_id: str
    roles: tuple[str, ...] = ()
    pools: tuple[str, ...] = ()
    name: str = ""

    def has(self, role: str) -> bool:
        return role in self.roles

    def in_pool(self, pool_id: str) -> bool:
        return pool_id in self.pools


def sign(caller: Caller, *, audience: str, secret: str, ttl_seconds: int = 60) -> str:
    now = int(time.time())
    claims = {
        "sub": caller.account_id,
        "roles": list(caller.roles),
        "pools": list(caller.pools),
        "name": caller.name,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: str, *, audience: str, secret: str) -> Caller:
    """The caller in a valid token; raises NotAuthorizedException with a readable reason."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=audience,
            options={"require": ["exp", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthorizedException("service token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise NotAuthorizedException(f"invalid service token: {exc}") from exc
    return Caller(
        account_id=str(claims["sub"]),
        roles=tuple(claims.get("roles", ())),
        pools=tuple(claims.get("pools", ())),
        name=str(claims.get("name", "")),
    )


class ServiceTokenMiddleware(AbstractAuthenticationMiddleware):
    """Puts the verified `Caller` in `request.user`; 401 for a missing or bad token."""

    def __init__(self, app: ASGIApp, *, audience: str, secret: str, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._audience = audience
        self._secret = secret

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("missing service token (Authorization: Bearer ...)")
        caller = verify(token, audience=self._audience, secret=self._secret)
        return AuthenticationResult(user=caller, auth=token)
