"""Heals of disagreements between services: each one is logged and counted, and the count
is on /metrics as `secpool_heals_total{service, kind}`."""

import structlog
from prometheus_client import Counter

log = structlog.get_logger(__name__)

HEALS = Counter("secpool_heals", "Disagreements between services found and healed", ["service", "kind"])


def record(service: str, kind: str, what: str, **details: object) -> None:
    """One heal: a warning line (someone should wonder why it was needed) and the counter."""
    HEALS.labels(service, kind).inc()
    log.warning(f"healed: {what}", heal=kind, **details)
