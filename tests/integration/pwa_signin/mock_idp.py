"""A local OpenID Connect provider shaped like Microsoft Entra ID, for the sign-in tests: the
issuer `<base>/<tenant>/v2.0`, discovery, published keys, an authorize endpoint that consents at
once for `user`, and a token endpoint that checks the client, the redirect and the PKCE (S256)
verifier before it issues an RS256 ID token with `oid`, `tid`, `preferred_username`, `email`.
`tamper` overrides claims in the next tokens (a wrong issuer, audience or nonce)."""

import base64
import contextlib
import functools
import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from litestar import Litestar, Request, Response, get, post
from litestar.response import Redirect

from services.cli.children import free_port


@functools.cache
def signing_key() -> RSAKey:
    """One RSA key for every mock provider in the run (making one takes a while)."""
    return RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})


@dataclass
class MockIdentityProvider:
    client_id: str = "secpool-test-client"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    tenant: str = field(default_factory=lambda: str(uuid.uuid4()))
    user: dict[str, str] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.key = signing_key()
        self._codes: dict[str, dict[str, str]] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.base}/{self.tenant}/v2.0"

    def person(self, email: str, name: str = "Anna de Vries") -> dict[str, str]:
        self.user = {"oid": str(uuid.uuid4()), "email": email, "preferred_username": email, "name": name}
        return self.user

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": secrets.token_urlsafe(16),
            "tid": self.tenant,
            "nonce": nonce,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "ver": "2.0",
            **self.user,
            **self.tamper,
        }
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)

    def app(self) -> Litestar:
        idp = self

        @get(f"/{self.tenant}/v2.0/.well-known/openid-configuration", sync_to_thread=False)
        def discovery() -> dict[str, Any]:
            return {
                "issuer": idp.issuer,
                "authorization_endpoint": f"{idp.base}/{idp.tenant}/oauth2/v2.0/authorize",
                "token_endpoint": f"{idp.base}/{idp.tenant}/oauth2/v2.0/token",
                "jwks_uri": f"{idp.base}/{idp.tenant}/discovery/v2.0/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }

        @get(f"/{self.tenant}/discovery/v2.0/keys", sync_to_thread=False)
        def keys() -> dict[str, Any]:
            return KeySet([idp.key]).as_dict(private=False)

        @get(f"/{self.tenant}/oauth2/v2.0/authorize", sync_to_thread=False)
        def authorize(request: Request[Any, Any, Any]) -> Redirect:
            asked = dict(request.query_params)
            idp.authorize_requests.append(asked)
            code = secrets.token_urlsafe(16)
            idp._codes[code] = asked
            return Redirect(asked["redirect_uri"] + "?" + urlencode({"code": code, "state": asked["state"]}))

        @post(f"/{self.tenant}/oauth2/v2.0/token")
        async def token(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
            form = dict(await request.form())
            asked = idp._codes.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", ""))
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if (
                asked is None
                or form.get("client_id") != idp.client_id
                or form.get("client_secret") != idp.client_secret
                or form.get("redirect_uri") != asked["redirect_uri"]
                or asked.get("code_challenge_method") != "S256"
                or challenge != asked.get("code_challenge")
            ):
                return Response({"error": "invalid_grant"}, status_code=400)
            return Response(
                {
                    "token_type": "Bearer",
                    "access_token": secrets.token_urlsafe(16),
                    "id_token": idp.id_token(asked["nonce"]),
                    "expires_in": 3600,
                },
                status_code=200,
            )

        return Litestar([discovery, keys, authorize, token])

    @contextlib.contextmanager
    def running(self) -> Iterator["MockIdentityProvider"]:
        server = uvicorn.Server(uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the mock identity provider did not start"
            time.sleep(0.02)
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(10)
