"""Mail settings, read once in `create_app` from the environment (never global).

| variable                 | meaning                                                              |
|--------------------------|----------------------------------------------------------------------|
| SECPOOL_SMTP_HOST        | SMTP server; unset: mail is written to `<data dir>/mail/` instead    |
| SECPOOL_SMTP_PORT        | default 587 (465 with SECPOOL_SMTP_SECURITY=tls)                     |
| SECPOOL_SMTP_SECURITY    | `starttls` (default), `tls` (implicit TLS) or `none`                 |
| SECPOOL_SMTP_USERNAME    | with SECPOOL_SMTP_PASSWORD: log in before sending                    |
| SECPOOL_MAIL_FROM        | the sender, e.g. `Secretariaat <secretariaat@example.org>`           |
| SECPOOL_PUBLIC_URL       | the address people open, for links in mail (e.g. https://pool.example.org) |
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

from services.platform.settings import ConfigError

Security = Literal["starttls", "tls", "none"]
DEFAULT_SENDER = "secpool <secpool@localhost>"
DEFAULT_URL = "http://127.0.0.1:8000"


class MailConfig(msgspec.Struct, frozen=True, kw_only=True):
    smtp_host: str = ""
    smtp_port: int = 587
    security: Security = "starttls"
    username: str = ""
    password: str = ""
    sender: str = DEFAULT_SENDER
    public_url: str = DEFAULT_URL
    folder: Path = Path(".secpool") / "mail"
    send_timeout_seconds: float = 30.0
    # A message that could not be sent for this long is given up (and shown as failed).
    give_up_after_seconds: float = 2 * 86400

    @property
    def writes_to_folder(self) -> bool:
        return not self.smtp_host

    @classmethod
    def from_env(cls, data_dir: str, env: Mapping[str, str] | None = None) -> "MailConfig":
        env = os.environ if env is None else env
        security = env.get("SECPOOL_SMTP_SECURITY", "starttls")
        if security not in ("starttls", "tls", "none"):
            raise ConfigError("SECPOOL_SMTP_SECURITY: use starttls, tls or none")
        port = env.get("SECPOOL_SMTP_PORT") or ("465" if security == "tls" else "587")
        return cls(
            smtp_host=env.get("SECPOOL_SMTP_HOST", ""),
            smtp_port=int(port),
            security=security,  # type: ignore[arg-type]
            username=env.get("SECPOOL_SMTP_USERNAME", ""),
            password=env.get("SECPOOL_SMTP_PASSWORD", ""),
            sender=env.get("SECPOOL_MAIL_FROM", DEFAULT_SENDER),
            public_url=env.get("SECPOOL_PUBLIC_URL", DEFAULT_URL).rstrip("/"),
            folder=Path(data_dir) / "mail",
        )
