"""Mail settings from the environment: no SMTP host means the mail folder; TLS picks its port."""

from pathlib import Path

import pytest

from pwa.mail.config import MailConfig
from services.platform.settings import ConfigError


def test_without_an_smtp_host_mail_goes_to_the_data_folder():
    config = MailConfig.from_env("/data", {})
    assert config.writes_to_folder and config.folder == Path("/data/mail") and config.public_url.startswith("http")


def test_smtp_settings_are_read_and_implicit_tls_defaults_to_port_465():
    env = {
        "SECPOOL_SMTP_HOST": "smtp.example.org",
        "SECPOOL_SMTP_SECURITY": "tls",
        "SECPOOL_SMTP_USERNAME": "pool",
        "SECPOOL_MAIL_FROM": "Secretariaat <pool@example.org>",
        "SECPOOL_PUBLIC_URL": "https://pool.example.org/",
    }
    config = MailConfig.from_env("/data", env)
    assert not config.writes_to_folder and config.smtp_port == 465 and config.public_url == "https://pool.example.org"
    assert config.sender == "Secretariaat <pool@example.org>" and config.username == "pool"
    with pytest.raises(ConfigError):
        MailConfig.from_env("/data", {"SECPOOL_SMTP_SECURITY": "maybe"})
