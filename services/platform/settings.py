"""Settings read from the environment once, in `create_app`, then passed down (never global).

| variable               | meaning                                                  |
|------------------------|----------------------------------------------------------|
| DATABASE_URL           | PostgreSQL DSN (each service uses its own schema in it)  |
| NATS_URL               | NATS server with JetStream                               |
| SECPOOL_TOKEN_PRIVATE_KEY(_FILE) | pwa only: Ed25519 private key (PEM) that signs service tokens |
| SECPOOL_TOKEN_PUBLIC_KEY(_FILE)  | services: the public keys (PEM, one or more) they verify with  |
| SECPOOL_WEB_SECRET(_FILE) | pwa: CSRF and unsubscribe-link secret (unset: derived from the private key) |
| SECPOOL_METRICS_TOKEN(_FILE) | bearer token /metrics answers to (unset: /metrics is off)  |
| SECPOOL_DEMO           | "1": load demo data into an empty schema at start-up     |
| SECPOOL_<SVC>_URL      | where the pwa reaches intake / routing / recognition     |
| SECPOOL_STREAM_REPLICAS| JetStream replicas per stream (3 on a NATS cluster)      |
| SECPOOL_COOKIE_SECURE  | "0": plain cookie names, no Secure flag (tests over http) |
| SECPOOL_RETENTION_SECONDS | keep published outbox and inbox rows this long (default 7 days; more than the duplicate window) |
| SECPOOL_TIMEZONE       | the organisation's time zone (default Europe/Amsterdam): where a day, a week and working hours begin |
"""

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.platform import tokens

PWA = "pwa"
DEFAULT_TIMEZONE = "Europe/Amsterdam"


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    database_url: str
    nats_url: str
    # PEM. The pwa holds the private key (it signs); a service holds only the public key.
    token_private_key: str = ""
    token_public_key: str = ""
    # Services given SECPOOL_TOKEN_PUBLIC_KEY_FILE read it again for a key they do not know; the
    # pwa given SECPOOL_TOKEN_PRIVATE_KEY_FILE signs with the key in it when it changes.
    token_public_key_file: str = ""
    token_private_key_file: str = ""
    # The pwa's own secret (CSRF tokens, unsubscribe links), derived from its private key.
    web_secret: str = ""
    # /metrics answers only `Authorization: Bearer <metrics_token>`; empty: metrics are off.
    metrics_token: str = ""
    demo: bool = False
    token_ttl_seconds: int = 60
    relay_batch: int = 200
    consumer_max_deliver: int = 5
    # Short, because fetched events get in-progress acks while they wait or run: a consumer
    # that dies hands its events to another replica within this time.
    consumer_ack_wait_seconds: float = 5.0
    intake_url: str = "http://127.0.0.1:8101"
    routing_url: str = "http://127.0.0.1:8102"
    recognition_url: str = "http://127.0.0.1:8103"
    data_dir: str = ".secpool"
    # Test hook for the fault tests: exit hard after publishing N events, before marking them.
    fault_relay_exit_after: int = 0
    # pwa: cookies are `__Host-` + Secure unless this is off (plain-http test clients).
    cookie_secure: bool = True
    # JetStream replicas per stream: 1 on one machine, 3 on a NATS cluster (R3).
    stream_replicas: int = 1
    # Published outbox rows and inbox rows older than this are pruned (every prune_every_seconds).
    retention_seconds: float = 7 * 24 * 3600.0
    prune_every_seconds: float = 300.0
    # The organisation's time zone (IANA name), the one setting every part reads: where a day,
    # a week and a member's working hours begin, and the wall-clock time pages show.
    timezone: str = DEFAULT_TIMEZONE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        private, public = (
            secret_setting(env, "SECPOOL_TOKEN_PRIVATE_KEY"),
            secret_setting(env, "SECPOOL_TOKEN_PUBLIC_KEY"),
        )
        needed = "SECPOOL_TOKEN_PRIVATE_KEY" if service == PWA else "SECPOOL_TOKEN_PUBLIC_KEY"
        missing = [k for k in ("DATABASE_URL", "NATS_URL") if not env.get(k)]
        missing += [f"{needed} (or {needed}_FILE)"] if not (private if service == PWA else public) else []
        if missing:
            raise ConfigError(f"{service}: set {', '.join(missing)} (see README, Configuration)")
        if service != PWA and private:
            raise ConfigError(
                f"{service}: SECPOOL_TOKEN_PRIVATE_KEY is set; only the pwa may hold it (a service that can"
                " sign could act as anyone): give this process SECPOOL_TOKEN_PUBLIC_KEY only"
            )
        try:
            private, public, secret = _keys(service, private, public)
        except ValueError as exc:
            raise ConfigError(f"{service}: {exc}") from exc
        return cls(
            service=service,
            database_url=env["DATABASE_URL"],
            nats_url=env["NATS_URL"],
            token_private_key=private,
            token_public_key=public,
            token_public_key_file="" if service == PWA else _key_file(env, "SECPOOL_TOKEN_PUBLIC_KEY"),
            token_private_key_file=_key_file(env, "SECPOOL_TOKEN_PRIVATE_KEY") if service == PWA else "",
            web_secret=secret and (secret_setting(env, "SECPOOL_WEB_SECRET") or secret),
            metrics_token=secret_setting(env, "SECPOOL_METRICS_TOKEN"),
            demo=env.get("SECPOOL_DEMO", "") == "1",
            intake_url=env.get("SECPOOL_INTAKE_URL", "http://127.0.0.1:8101"),
            routing_url=env.get("SECPOOL_ROUTING_URL", "http://127.0.0.1:8102"),
            recognition_url=env.get("SECPOOL_RECOGNITION_URL", "http://127.0.0.1:8103"),
            data_dir=env.get("SECPOOL_DATA_DIR", ".secpool"),
            fault_relay_exit_after=int(env.get("SECPOOL_FAULT_RELAY_EXIT_AFTER", "0")),
            cookie_secure=env.get("SECPOOL_COOKIE_SECURE", "1") != "0",
            stream_replicas=int(env.get("SECPOOL_STREAM_REPLICAS", "1")),
            retention_seconds=_retention(env),
            timezone=_timezone(env),
        )


def _key_file(env: Mapping[str, str], name: str) -> str:
    """The file a key setting came from (read again on rotation), if it was not given inline."""
    if env.get(name, "").strip():
        return ""
    return env.get(f"{name}_FILE", "").strip()


def _timezone(env: Mapping[str, str]) -> str:
    name = env.get("SECPOOL_TIMEZONE", "").strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"SECPOOL_TIMEZONE={name!r} is not a known time zone (e.g. Europe/Amsterdam)") from exc
    return name


def _retention(env: Mapping[str, str]) -> float:
    from services.platform.bus import DUPLICATE_WINDOW_SECONDS

    value = float(env.get("SECPOOL_RETENTION_SECONDS", 7 * 24 * 3600))
    if value < 2 * DUPLICATE_WINDOW_SECONDS:
        raise ConfigError(
            f"SECPOOL_RETENTION_SECONDS={value:g} is too short: keep rows at least {2 * DUPLICATE_WINDOW_SECONDS:g} s,"
            " twice JetStream's duplicate window, or a late re-publish could take effect twice"
        )
    return value


def secret_setting(env: Mapping[str, str], name: str) -> str:
    """A key or token given inline in `name` or in the file `name`_FILE (e.g. a mounted secret)."""
    if value := env.get(name, "").strip():
        return value
    if path := env.get(f"{name}_FILE", "").strip():
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE={path}: cannot read it ({exc.strerror})") from exc
    return ""


def _keys(service: str, private: str, public: str) -> tuple[str, str, str]:
    """(private key, public key, web secret) for `service`, checked: a service has only the
    public key; the pwa's public key, if given, is its private key's."""
    if service != PWA:
        tokens.KeyRing.parse(public)
        return "", public, ""
    key = tokens.private_key(private)
    if public and tokens.public_pem(key) != tokens.public_key_pem(public):
        raise ValueError("SECPOOL_TOKEN_PUBLIC_KEY does not belong to SECPOOL_TOKEN_PRIVATE_KEY")
    return private, tokens.public_pem(key), web_secret(key)


def web_secret(key: Ed25519PrivateKey) -> str:
    """The pwa's secret for CSRF and unsubscribe links: derived from its private key, with a
    label of its own, so the pwa needs one secret and the signing key is never reused as is.
    `secpool keys rotate` keeps the first key's as SECPOOL_WEB_SECRET, so links in mails sent
    before a rotation keep working."""
    return hmac.new(key.private_bytes_raw(), b"secpool web secret v1", hashlib.sha256).hexdigest()
