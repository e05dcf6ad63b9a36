"""Settings come from the environment, and a missing one is named."""

import pytest

from services.platform.settings import ConfigError, Settings

BASE = {"DATABASE_URL": "postgresql://x/y", "NATS_URL": "nats://127.0.0.1:1", "SECPOOL_TOKEN_SECRET": "s" * 32}


def test_settings_are_read_from_the_environment():
    s = Settings.from_env("intake", {**BASE, "SECPOOL_DEMO": "1", "SECPOOL_COOKIE_SECURE": "0"})
    assert (s.service, s.demo, s.cookie_secure, s.database_url) == ("intake", True, False, "postgresql://x/y")


def test_a_missing_setting_is_named_in_the_error():
    with pytest.raises(ConfigError, match="NATS_URL"):
        Settings.from_env("routing", {k: v for k, v in BASE.items() if k != "NATS_URL"})
