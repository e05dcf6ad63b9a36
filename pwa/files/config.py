"""The pwa's side of files, read once in `create_app`.

| variable                   | meaning                                                  |
|----------------------------|----------------------------------------------------------|
| SECPOOL_ATTACHMENT_MAX_MB  | the largest file a request may carry, in MB (default 25; |
|                            | intake reads the same setting and checks it too)         |
"""

import os
from collections.abc import Mapping

import msgspec

from services.platform.settings import ConfigError

MAX_FILES = 10  # files in one form


class FilesConfig(msgspec.Struct, frozen=True, kw_only=True):
    max_mb: int = 25

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "FilesConfig":
        env = os.environ if env is None else env
        try:
            return cls(max_mb=int(env.get("SECPOOL_ATTACHMENT_MAX_MB", "25")))
        except ValueError as exc:
            raise ConfigError("SECPOOL_ATTACHMENT_MAX_MB: a whole number of MB, e.g. 25") from exc
