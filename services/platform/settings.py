"""Settings read from the environment once, in `create_app`, then passed down (never global).

| variable               | meaning                                                  |
|------------------------|----------------------------------------------------------|
| DATABASE_URL           | PostgreSQL DSN (each service uses its own schema in it)  |
| NATS_URL               | NATS server with JetStream                               |
| SECPOOL_TOKEN_SECRET   | shared secret that signs pwa→service tokens              |
| SECPOOL_DEMO           | "1": load demo data into an empty schema at start-up     |
| SECPOOL_<SVC>_URL      | where the pwa reaches intake / routing / recognition     |
| SECPOOL_STREAM_REPLICAS| JetStream replicas per stream (3 on a NATS cluster)      |
| SECPOOL_COOKIE_SECURE  | "0": plain cookie names, no Secure flag (tests over http) |
| SECPOOL_RETENTION_SECONDS | keep published outbox and inbox rows this long (default 7 days; more than the duplicate window) |
"""

import os
from collections.abc import Mapping

import msgspec


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    database_url: str
    nats_url: str
    token_secret: str
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

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        missing = [k for k in ("DATABASE_URL", "NATS_URL", "SECPOOL_TOKEN_SECRET") if not env.get(k)]
        if missing:
            raise ConfigError(f"{service}: set {', '.join(missing)} (see README, Configuration)")
        return cls(
            service=service,
            database_url=env["DATABASE_URL"],
            nats_url=env["NATS_URL"],
            token_secret=env["SECPOOL_TOKEN_SECRET"],
            demo=env.get("SECPOOL_DEMO", "") == "1",
            intake_url=env.get("SECPOOL_INTAKE_URL", "http://127.0.0.1:8101"),
            routing_url=env.get("SECPOOL_ROUTING_URL", "http://127.0.0.1:8102"),
            recognition_url=env.get("SECPOOL_RECOGNITION_URL", "http://127.0.0.1:8103"),
            data_dir=env.get("SECPOOL_DATA_DIR", ".secpool"),
            fault_relay_exit_after=int(env.get("SECPOOL_FAULT_RELAY_EXIT_AFTER", "0")),
            cookie_secure=env.get("SECPOOL_COOKIE_SECURE", "1") != "0",
            stream_replicas=int(env.get("SECPOOL_STREAM_REPLICAS", "1")),
            retention_seconds=_retention(env),
        )


def _retention(env: Mapping[str, str]) -> float:
    from services.platform.bus import DUPLICATE_WINDOW_SECONDS

    value = float(env.get("SECPOOL_RETENTION_SECONDS", 7 * 24 * 3600))
    if value < 2 * DUPLICATE_WINDOW_SECONDS:
        raise ConfigError(
            f"SECPOOL_RETENTION_SECONDS={value:g} is too short: keep rows at least {2 * DUPLICATE_WINDOW_SECONDS:g} s,"
            " twice JetStream's duplicate window, or a late re-publish could take effect twice"
        )
    return value
