"""How people sign in on this deployment, read from the environment once in `create_app`:
the public address (passkeys are bound to its host), the organisation's OpenID Connect
provider if it has one. (The wrong-password limits are in `pwa.limits`.)

| variable | meaning |
|---|---|
| SECPOOL_PUBLIC_URL | the address people open (e.g. https://pool.example.org); passkeys and the OIDC redirect use it |
| SECPOOL_OIDC_ISSUER | the identity provider's issuer, exactly (Entra ID: https://login.microsoftonline.com/<tenant>/v2.0) |
| SECPOOL_OIDC_CLIENT_ID / SECPOOL_OIDC_CLIENT_SECRET | this app's registration at the provider |
| SECPOOL_OIDC_NAME | the provider's name on the sign-in button (default "Microsoft") |
"""

import os
from collections.abc import Mapping

import msgspec

from services.platform.settings import ConfigError


class OidcConfig(msgspec.Struct, frozen=True, kw_only=True):
    issuer: str
    client_id: str
    client_secret: str
    name: str = "Microsoft"
    scopes: str = "openid profile email"


class SignInConfig(msgspec.Struct, frozen=True, kw_only=True):
    public_url: str = ""
    oidc: OidcConfig | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "SignInConfig":
        env = os.environ if env is None else env
        oidc = None
        if env.get("SECPOOL_OIDC_ISSUER"):
            missing = [k for k in ("SECPOOL_OIDC_CLIENT_ID", "SECPOOL_OIDC_CLIENT_SECRET") if not env.get(k)]
            if missing:
                raise ConfigError(f"pwa: SECPOOL_OIDC_ISSUER is set, so set {', '.join(missing)} too")
            oidc = OidcConfig(
                issuer=env["SECPOOL_OIDC_ISSUER"],
                client_id=env["SECPOOL_OIDC_CLIENT_ID"],
                client_secret=env["SECPOOL_OIDC_CLIENT_SECRET"],
                name=env.get("SECPOOL_OIDC_NAME", "Microsoft"),
            )
        return cls(public_url=env.get("SECPOOL_PUBLIC_URL", "").rstrip("/"), oidc=oidc)
