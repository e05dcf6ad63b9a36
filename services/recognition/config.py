"""Recognition's own settings, read once in `create_app` and passed down (never global).
Where "a day" and whole-day digest periods begin is the organisation's time zone, a platform
setting (services.platform.settings).

| variable                        | default          | meaning                                       |
|---------------------------------|------------------|-----------------------------------------------|
| SECPOOL_KUDOS_DAILY_LIMIT       | 20               | kudos one person may give per calendar day    |
| SECPOOL_PROMPT_TTL_SECONDS      | 604800 (7 days)  | how long a thank-you prompt stays open        |
| SECPOOL_DIGEST_PERIOD_SECONDS   | 604800 (weekly)  | default digest period (a pool may set its own) |
| SECPOOL_DIGEST_CHECK_SECONDS    | 60               | how often the digest job looks for due periods |
"""

import os
from collections.abc import Mapping

import msgspec

from services.platform.settings import ConfigError


class RecognitionConfig(msgspec.Struct, frozen=True, kw_only=True):
    daily_limit: int = 20
    prompt_ttl_seconds: int = 7 * 24 * 3600
    digest_period_seconds: int = 7 * 24 * 3600
    digest_check_seconds: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "RecognitionConfig":
        env = os.environ if env is None else env
        try:
            config = cls(
                daily_limit=int(env.get("SECPOOL_KUDOS_DAILY_LIMIT", "20")),
                prompt_ttl_seconds=int(env.get("SECPOOL_PROMPT_TTL_SECONDS", str(7 * 24 * 3600))),
                digest_period_seconds=int(env.get("SECPOOL_DIGEST_PERIOD_SECONDS", str(7 * 24 * 3600))),
                digest_check_seconds=float(env.get("SECPOOL_DIGEST_CHECK_SECONDS", "60")),
            )
        except ValueError as exc:
            raise ConfigError(
                f"recognition: a SECPOOL_KUDOS_*/PROMPT_*/DIGEST_* setting is not a number: {exc}"
            ) from exc
        if config.daily_limit < 1 or config.prompt_ttl_seconds < 1 or config.digest_period_seconds < 1:
            raise ConfigError("recognition: the kudos limit, prompt TTL and digest period must be positive")
        if config.digest_check_seconds <= 0:
            raise ConfigError("recognition: SECPOOL_DIGEST_CHECK_SECONDS must be positive")
        return config
