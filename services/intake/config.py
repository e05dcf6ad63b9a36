"""Intake's own settings, read once in `create_app` (next to the shared platform Settings,
which hold the organisation's time zone: insight weeks, search periods, recurring requests).

| variable                          | meaning                                                    |
|-----------------------------------|------------------------------------------------------------|
| SECPOOL_INTAKE_SLA_CHECK_SECONDS  | how often the service-level watch runs (default 15)         |
| SECPOOL_INTAKE_SLA_WARNING_SHARE  | a level is at risk in this last share of its window (0.25)  |
| SECPOOL_INTAKE_HEAL_AFTER_SECONDS | a submitted request routing never answered is announced again after this (180) |
| SECPOOL_INTAKE_HEAL_CHECK_SECONDS | how often the heal sweep looks (30)                          |
| SECPOOL_ATTACHMENT_MAX_MB         | the largest file a request may carry, in MB (default 25)    |
| SECPOOL_INTAKE_SWEEP_SECONDS      | how often deleted files leave the object store (default 60) |
| SECPOOL_INTAKE_RECURRING_SECONDS  | how often recurring requests are checked (default 300)      |
| SECPOOL_HOLIDAYS                  | whose public holidays recurring requests skip (default NL)  |
"""

import os
from collections.abc import Mapping

import holidays
import msgspec

from services.platform.settings import ConfigError


class IntakeConfig(msgspec.Struct, frozen=True, kw_only=True):
    sla_check_seconds: float = 15.0
    sla_warning_share: float = 0.25
    heal_after_seconds: float = 180.0
    heal_check_seconds: float = 30.0
    attachment_max_mb: int = 25
    sweep_seconds: float = 60.0
    recurring_seconds: float = 300.0
    holidays: str = "NL"

    def __post_init__(self) -> None:
        if self.sla_check_seconds <= 0:
            raise ConfigError("SECPOOL_INTAKE_SLA_CHECK_SECONDS: must be more than 0")
        if not 0 < self.sla_warning_share < 1:
            raise ConfigError("SECPOOL_INTAKE_SLA_WARNING_SHARE: must be between 0 and 1, e.g. 0.25")
        if not 0 < self.attachment_max_mb <= 1024:
            raise ConfigError("SECPOOL_ATTACHMENT_MAX_MB: must be between 1 and 1024, e.g. 25")
        if self.sweep_seconds <= 0 or self.recurring_seconds <= 0:
            raise ConfigError("SECPOOL_INTAKE_SWEEP_SECONDS / _RECURRING_SECONDS: must be more than 0")
        try:
            holidays.country_holidays(self.holidays)
        except NotImplementedError as exc:
            raise ConfigError(
                f"SECPOOL_HOLIDAYS: no public holidays known for '{self.holidays}' (e.g. NL, BE)"
            ) from exc

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "IntakeConfig":
        env = os.environ if env is None else env
        try:
            return cls(
                sla_check_seconds=float(env.get("SECPOOL_INTAKE_SLA_CHECK_SECONDS", "15")),
                sla_warning_share=float(env.get("SECPOOL_INTAKE_SLA_WARNING_SHARE", "0.25")),
                heal_after_seconds=float(env.get("SECPOOL_INTAKE_HEAL_AFTER_SECONDS", "180")),
                heal_check_seconds=float(env.get("SECPOOL_INTAKE_HEAL_CHECK_SECONDS", "30")),
                attachment_max_mb=int(env.get("SECPOOL_ATTACHMENT_MAX_MB", "25")),
                sweep_seconds=float(env.get("SECPOOL_INTAKE_SWEEP_SECONDS", "60")),
                recurring_seconds=float(env.get("SECPOOL_INTAKE_RECURRING_SECONDS", "300")),
                holidays=env.get("SECPOOL_HOLIDAYS", "NL").strip().upper(),
            )
        except ValueError as exc:
            raise ConfigError(f"intake: a SECPOOL_INTAKE_* setting is not a number ({exc})") from exc
