"""Push settings, read once in `create_app` from the environment (never global).

| variable                  | meaning                                                        |
|---------------------------|----------------------------------------------------------------|
| SECPOOL_VAPID_SUBJECT     | the VAPID `sub` claim push services may contact (mailto:/https:) |
| SECPOOL_PUSH_ALLOW_HOSTS  | TESTS ONLY: extra endpoint origins to accept, comma-separated,  |
|                           | e.g. `http://127.0.0.1:8765` (exact scheme, host and port).     |
|                           | Unset (the default) means only the real push services.          |
"""

import os
from collections.abc import Mapping

import msgspec

DEFAULT_SUBJECT = "mailto:pool@secpool.invalid"


class PushConfig(msgspec.Struct, frozen=True, kw_only=True):
    vapid_subject: str = DEFAULT_SUBJECT
    # Origins accepted on top of the known push services; only ever non-empty when set explicitly.
    extra_origins: tuple[str, ...] = ()
    send_timeout_seconds: float = 10.0
    max_attempts: int = 6
    concurrency: int = 16

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "PushConfig":
        env = os.environ if env is None else env
        extra = tuple(o.strip().rstrip("/").lower() for o in env.get("SECPOOL_PUSH_ALLOW_HOSTS", "").split(","))
        return cls(
            vapid_subject=env.get("SECPOOL_VAPID_SUBJECT", DEFAULT_SUBJECT),
            extra_origins=tuple(o for o in extra if o),
        )
