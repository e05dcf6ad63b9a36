"""Signing in with the organisation's identity provider (OpenID Connect, authorization code
flow): Authlib builds the authorization request with state, nonce and PKCE (S256); the ID token
is checked with joserfc (Authlib's JOSE library): signature from the provider's published keys,
the exact issuer, this app as the only audience, the nonce of this sign-in, and its lifetime.

Claims as Microsoft Entra ID sends them: a person is `tid`:`oid` (stable across apps), else `sub`;
their address is `email`, else `preferred_username`.
"""

import base64
import json
import time
from typing import Any

import httpx
import msgspec
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from pwa.sign_in_config import OidcConfig

# Clock difference tolerated between the provider and us.
LEEWAY_SECONDS = 120
DISCOVERY_TTL_SECONDS = 3600


class OidcRefused(Exception):
    """The provider's answer does not prove who this is (the message says why, for the audit log)."""


class Start(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    state: str
    nonce: str
    verifier: str


class Identity(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    email: str
    name: str


class Provider(msgspec.Struct, frozen=True, kw_only=True):
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


class OidcClient:
    """One organisation's provider; discovery and keys are cached (keys refetched for a new `kid`)."""

    def __init__(self, config: OidcConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self._http = http
        self._provider: tuple[float, Provider] | None = None
        self._keys: KeySet | None = None

    async def provider(self) -> Provider:
        if self._provider and time.monotonic() - self._provider[0] < DISCOVERY_TTL_SECONDS:
            return self._provider[1]
        url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
        found = msgspec.convert((await self._get(url)), Provider)
        if found.issuer != self.config.issuer:
            raise OidcRefused(f"discovery names issuer {found.issuer!r}, configured {self.config.issuer!r}")
        self._provider = (time.monotonic(), found)
        return found

    async def _get(self, url: str) -> Any:
        response = await self._http.get(url, timeout=10.0)
        response.raise_for_status()
        return response.json()

    async def _key_set(self, kid: str | None, provider: Provider) -> KeySet:
        if self._keys is None or (kid and not any(k.kid == kid for k in self._keys.keys)):
            self._keys = KeySet.import_key_set(await self._get(provider.jwks_uri))
        return self._keys

    async def start(self, redirect_uri: str) -> Start:
        provider = await self.provider()
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        url = prepare_grant_uri(
            provider.authorization_endpoint,
            client_id=self.config.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=self.config.scopes,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        return Start(url=url, state=state, nonce=nonce, verifier=verifier)

    async def finish(self, *, code: str, redirect_uri: str, verifier: str, nonce: str) -> Identity:
        """Exchange the code (with the PKCE verifier) and check the ID token it brings."""
        provider = await self.provider()
        response = await self._http.post(
            provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
            },
            timeout=10.0,
        )
        if response.status_code != 200:
            raise OidcRefused(f"token endpoint answered {response.status_code}")
        id_token = response.json().get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused("no id_token")
        return self.identity(await self.claims(id_token, nonce, provider))

    async def claims(self, id_token: str, nonce: str, provider: Provider) -> dict[str, Any]:
        try:
            token = jwt.decode(id_token, await self._key_set(_kid(id_token), provider), algorithms=["RS256"])
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": self.config.issuer},
                aud={"essential": True, "value": self.config.client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise OidcRefused(f"id_token refused: {exc}") from exc
        audience = token.claims["aud"]
        if isinstance(audience, list) and audience != [self.config.client_id]:
            raise OidcRefused("id_token refused: meant for other audiences too")
        return token.claims

    @staticmethod
    def identity(claims: dict[str, Any]) -> Identity:
        tid, oid = claims.get("tid"), claims.get("oid")
        subject = f"{tid}:{oid}" if tid and oid else str(claims["sub"])
        email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
        return Identity(subject=subject, email=email, name=str(claims.get("name") or email))


def _kid(id_token: str) -> str | None:
    """The key id in the token's header (read before the signature is checked, to pick the key)."""
    head = id_token.split(".")[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except ValueError as exc:
        raise OidcRefused("malformed id_token") from exc
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None
