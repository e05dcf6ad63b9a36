"""Settings come from the environment, and a missing one is named; the token keys go where
they belong (the private key to the pwa only)."""

import pytest

from services.platform.settings import ConfigError, Settings
from services.platform.tokens import new_key_pair

PRIVATE, PUBLIC = new_key_pair()
BASE = {"DATABASE_URL": "postgresql://x/y", "NATS_URL": "nats://127.0.0.1:1", "SECPOOL_TOKEN_PUBLIC_KEY": PUBLIC}


def test_settings_are_read_from_the_environment():
    s = Settings.from_env("intake", {**BASE, "SECPOOL_DEMO": "1", "SECPOOL_COOKIE_SECURE": "0"})
    assert (s.service, s.demo, s.cookie_secure, s.database_url) == ("intake", True, False, "postgresql://x/y")
    assert (s.token_public_key, s.token_private_key, s.web_secret) == (PUBLIC.strip(), "", "")


def test_a_missing_setting_is_named_in_the_error():
    with pytest.raises(ConfigError, match="NATS_URL"):
        Settings.from_env("routing", {k: v for k, v in BASE.items() if k != "NATS_URL"})
    with pytest.raises(ConfigError, match="SECPOOL_TOKEN_PUBLIC_KEY"):
        Settings.from_env("routing", {k: v for k, v in BASE.items() if k != "SECPOOL_TOKEN_PUBLIC_KEY"})
    with pytest.raises(ConfigError, match="SECPOOL_TOKEN_PRIVATE_KEY"):
        Settings.from_env("pwa", BASE)


def test_a_service_refuses_to_start_with_the_private_key():
    with pytest.raises(ConfigError, match="only the pwa may hold it"):
        Settings.from_env("intake", {**BASE, "SECPOOL_TOKEN_PRIVATE_KEY": PRIVATE})


def test_the_pwa_reads_its_private_key_from_a_file_and_derives_the_rest(tmp_path):
    (tmp_path / "key.pem").write_text(PRIVATE)
    env = {k: v for k, v in BASE.items() if k != "SECPOOL_TOKEN_PUBLIC_KEY"}
    s = Settings.from_env("pwa", {**env, "SECPOOL_TOKEN_PRIVATE_KEY_FILE": str(tmp_path / "key.pem")})
    assert s.token_private_key == PRIVATE.strip() and s.token_public_key == PUBLIC
    assert len(s.web_secret) == 64 and s.web_secret not in PRIVATE


def test_a_key_of_the_wrong_kind_or_pair_is_refused():
    with pytest.raises(ConfigError, match="does not belong"):
        Settings.from_env("pwa", {**BASE, "SECPOOL_TOKEN_PRIVATE_KEY": new_key_pair()[0]})
    with pytest.raises(ConfigError, match="intake"):
        Settings.from_env("intake", {**BASE, "SECPOOL_TOKEN_PUBLIC_KEY": "not a key"})
    with pytest.raises(ConfigError, match="cannot read"):
        Settings.from_env(
            "intake", {**BASE, "SECPOOL_TOKEN_PUBLIC_KEY": "", "SECPOOL_TOKEN_PUBLIC_KEY_FILE": "/nonexistent"}
        )


def test_the_organisations_time_zone_is_one_setting_every_process_reads():
    assert Settings.from_env("intake", BASE).zone.key == "Europe/Amsterdam"
    assert Settings.from_env("routing", {**BASE, "SECPOOL_TIMEZONE": "Europe/Brussels"}).zone.key == "Europe/Brussels"
    with pytest.raises(ConfigError, match="SECPOOL_TIMEZONE='Mars/Olympus' is not a known time zone"):
        Settings.from_env("recognition", {**BASE, "SECPOOL_TIMEZONE": "Mars/Olympus"})
