"""Service tokens: the pwa signs a short-lived token per call with its Ed25519 private key;
services verify with the public key only, so a process that can verify cannot mint.

A token says who is calling (account id, roles, pools) and for which service (audience), so
a token for intake cannot be replayed against routing.
"""

import time
from typing import Any

import jwt
import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

# The only algorithm accepted: an HS256 token (made with the old shared secret) or "none" is refused.
ALGORITHM = "EdDSA"


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


def new_key_pair() -> tuple[str, str]:
    """A fresh Ed25519 key pair as (private PEM, public PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private.decode(), public_pem(key)


def public_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def private_key(pem: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in `pem`; ValueError for anything else."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the token private key must be an Ed25519 key (PEM, PKCS#8)")
    return key


def public_key(pem: str) -> Ed25519PublicKey:
    """The Ed25519 public key in `pem`; ValueError for anything else."""
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the token public key must be an Ed25519 key (PEM, SubjectPublicKeyInfo)")
    return key


def sign(caller: Caller, *, audience: str, key: Ed25519PrivateKey | str, ttl_seconds: int = 60) -> str:
    """A token for `caller` to `audience`; `key` is the private key (or its PEM)."""
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
    return jwt.encode(claims, private_key(key) if isinstance(key, str) else key, algorithm=ALGORITHM)


def verify(token: str, *, audience: str, key: Ed25519PublicKey | str) -> Caller:
    """The caller in a valid token; raises NotAuthorizedException with a readable reason."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            public_key(key) if isinstance(key, str) else key,
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


def bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The token after `Authorization: Bearer`; 401 when there is none."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("missing service token (Authorization: Bearer ...)")
    return token.strip()


class ServiceTokenMiddleware(AbstractAuthenticationMiddleware):
    """Puts the verified `Caller` in `request.user`; 401 for a missing or bad token."""

    def __init__(self, app: ASGIApp, *, audience: str, key: Ed25519PublicKey, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._audience = audience
        self._key = key

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = bearer(connection)
        return AuthenticationResult(user=verify(token, audience=self._audience, key=self._key), auth=token)


def public_key_pem(pem: str) -> str:
    """`pem` as a public key in canonical PEM (to compare two keys)."""
    return (
        public_key(pem)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
