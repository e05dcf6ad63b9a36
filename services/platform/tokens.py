"""Service tokens: the pwa signs a short-lived token per call with its Ed25519 private key;
services verify with the public key only, so a process that can verify cannot mint.

A token says who is calling (account id, roles, pools) and for which service (audience), so
a token for intake cannot be replayed against routing.

Keys rotate: each token names its signing key in the `kid` header (a thumbprint of the public
key, so nothing has to be kept in step), and a service accepts every public key in its
`KeyRing` — several PEM blocks in one setting. A retired key carries a `Not-After:` line
before its block (RFC 7468 explanatory text): tokens it signed are refused after that time,
once every token it made has expired.
"""

import base64
import hashlib
import re
import time
from datetime import datetime
from pathlib import Path
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
    return public_pem_of(key.public_key())


def public_pem_of(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


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


def key_id(key: Ed25519PublicKey) -> str:
    """The `kid` of a key: the start of the base64url SHA-256 of its raw public bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).decode()[:16]


_PEM_BLOCK = re.compile(r"((?:^[^\n-][^\n]*\n)*)(-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----)", re.S | re.M)
# How often a key ring may read its file again for a token signed with a key it does not know.
REREAD_SECONDS = 2.0
_NOT_AFTER = re.compile(r"^Not-After:\s*(\S+)\s*$", re.M)


def _stamp(path: Path) -> tuple[int, int] | None:
    """When and as which file `path` was last written: a replaced file has a new one."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ino)


class KeyRing:
    """The public keys a service accepts, by key id; a retired one until its `not_after`."""

    def __init__(self, keys: dict[str, Ed25519PublicKey], not_after: dict[str, float] | None = None) -> None:
        if not keys:
            raise ValueError("no Ed25519 public key (PEM) given")
        self.keys = keys
        self.not_after = not_after or {}
        self._file: Path | None = None
        self._read_at = 0.0
        self._stamp: tuple[int, int] | None = None

    @classmethod
    def from_file(cls, path: Path) -> "KeyRing":
        """The keys in `path`, read again when a token names a key it does not hold (at once
        when the file was replaced): a rotation reaches a running service without a restart."""
        stamp = _stamp(path)
        ring = cls.parse(path.read_text())
        ring._file, ring._read_at, ring._stamp = path, time.monotonic(), stamp
        return ring

    def _reread(self) -> bool:
        # A replaced file (a rotation writes a new one) is read at once; an unchanged one at most
        # every REREAD_SECONDS, so tokens naming unknown keys cannot make every call read a file.
        if self._file is None:
            return False
        stamp = _stamp(self._file)
        if stamp == self._stamp and time.monotonic() - self._read_at < REREAD_SECONDS:
            return False
        self._read_at, self._stamp = time.monotonic(), stamp
        try:
            fresh = KeyRing.parse(self._file.read_text())
        except (OSError, ValueError):
            return False  # a file being replaced or broken: keep the keys held
        self.keys, self.not_after = fresh.keys, fresh.not_after
        return True

    @classmethod
    def of(cls, *keys: Ed25519PublicKey) -> "KeyRing":
        return cls({key_id(key): key for key in keys})

    @classmethod
    def parse(cls, text: str) -> "KeyRing":
        """Every `BEGIN PUBLIC KEY` block in `text`, each optionally preceded by a line
        `Not-After: <ISO 8601 time>`; ValueError for a block that is not an Ed25519 key."""
        keys: dict[str, Ed25519PublicKey] = {}
        not_after: dict[str, float] = {}
        for preface, block in _PEM_BLOCK.findall(text):
            key = public_key(block)
            kid = key_id(key)
            keys[kid] = key
            if found := _NOT_AFTER.search(preface):
                try:
                    not_after[kid] = datetime.fromisoformat(found.group(1)).timestamp()
                except ValueError as exc:
                    raise ValueError(f"Not-After: {found.group(1)!r} is not an ISO 8601 time") from exc
        if not keys and text.strip():
            public_key(text)  # the reason it is not a key, from the PEM loader
        return cls(keys, not_after)

    def key_for(self, kid: str | None, now: float) -> list[Ed25519PublicKey]:
        """The key(s) a token with this `kid` may be checked with; 401 for an unknown or
        retired key. A token without `kid` (made before keys had ids) is tried on each."""
        if kid is None:
            return [k for i, k in self.keys.items() if now <= self.not_after.get(i, now)]
        if kid not in self.keys and not (self._reread() and kid in self.keys):
            raise NotAuthorizedException(f"invalid service token: signed with an unknown key (kid {kid})")
        if now > self.not_after.get(kid, now):
            raise NotAuthorizedException(f"invalid service token: its key (kid {kid}) was retired")
        return [self.keys[kid]]


class SigningKey:
    """The pwa's signing key; given its file, it reads it again when the file changes (looked
    at most every REREAD_SECONDS), so `secpool keys rotate` takes effect without a restart."""

    def __init__(self, key: Ed25519PrivateKey, file: Path | None = None) -> None:
        self._key, self._file = key, file
        self._looked_at = time.monotonic()
        self._stamp = _stamp(file) if file else None

    def current(self) -> Ed25519PrivateKey:
        if self._file is None or time.monotonic() - self._looked_at < REREAD_SECONDS:
            return self._key
        self._looked_at = time.monotonic()
        stamp = _stamp(self._file)
        if stamp is not None and stamp != self._stamp:
            try:
                self._key = private_key(self._file.read_text())
                self._stamp = stamp
            except (OSError, ValueError):
                pass  # a file being replaced: keep signing with the key held
        return self._key


def sign(
    caller: Caller, *, audience: str, key: Ed25519PrivateKey | str, ttl_seconds: int = 60, issued_at: int | None = None
) -> str:
    """A token for `caller` to `audience`; `key` is the private key (or its PEM). `issued_at`
    (whole seconds, the current ones by default) is for a caller that reuses this second's token."""
    signing = private_key(key) if isinstance(key, str) else key
    now = int(time.time()) if issued_at is None else issued_at
    claims = {
        "sub": caller.account_id,
        "roles": list(caller.roles),
        "pools": list(caller.pools),
        "name": caller.name,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    kid = key_id(signing.public_key())
    return jwt.encode(claims, signing, algorithm=ALGORITHM, headers={"kid": kid})


class Verified(msgspec.Struct, frozen=True):
    """A token that passed: who calls, the key that signed it (None: a token from before key
    ids) and when it expires (seconds since the epoch)."""

    caller: Caller
    kid: str | None
    expires: float


def verify(token: str, *, audience: str, key: KeyRing | Ed25519PublicKey | str) -> Caller:
    """The caller in a valid token; raises NotAuthorizedException with a readable reason.
    `key` is a key ring, one public key, or PEM text holding one or more public keys."""
    return verified(token, audience=audience, key=key).caller


def verified(token: str, *, audience: str, key: KeyRing | Ed25519PublicKey | str) -> Verified:
    """`verify`, with the key id and expiry of the token (for `checked_tokens`)."""
    ring = key if isinstance(key, KeyRing) else KeyRing.parse(key) if isinstance(key, str) else KeyRing.of(key)
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as exc:
        raise NotAuthorizedException(f"invalid service token: {exc}") from exc
    kid = kid if isinstance(kid, str) else None
    candidates = ring.key_for(kid, time.time())
    claims: dict[str, Any] | None = None
    problem: jwt.InvalidTokenError = jwt.InvalidSignatureError("no key to check it with")
    for candidate in candidates:
        try:
            claims = jwt.decode(
                token, candidate, algorithms=[ALGORITHM], audience=audience, options={"require": ["exp", "sub", "aud"]}
            )
            break
        except jwt.ExpiredSignatureError as exc:
            raise NotAuthorizedException("service token expired") from exc
        except jwt.InvalidTokenError as exc:
            problem = exc
    if claims is None:
        raise NotAuthorizedException(f"invalid service token: {problem}") from problem
    caller = Caller(
        account_id=str(claims["sub"]),
        roles=tuple(claims.get("roles", ())),
        pools=tuple(claims.get("pools", ())),
        name=str(claims.get("name", "")),
    )
    return Verified(caller=caller, kid=kid, expires=float(claims["exp"]))


def bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The token after `Authorization: Bearer`; 401 when there is none."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("missing service token (Authorization: Bearer ...)")
    return token.strip()


class ServiceTokenMiddleware(AbstractAuthenticationMiddleware):
    """Puts the verified `Caller` in `request.user`; 401 for a missing or bad token."""

    def __init__(self, app: ASGIApp, *, audience: str, key: KeyRing | Ed25519PublicKey, **kwargs: Any) -> None:
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
