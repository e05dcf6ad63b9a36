"""What a push service's answer means, and when to try again (pure, no I/O).

RFC 8030: 201 accepted; 404/410 the subscription is gone for good; 429 and 5xx are
temporary (honour Retry-After); any other 4xx (bad VAPID, too large) will not get better.
"""

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Literal

Outcome = Literal["delivered", "gone", "retry", "drop"]
MIN_DELAY = 1.0
MAX_DELAY = 3600.0
BACKOFF_BASE = 2.0
BACKOFF_CAP = 300.0


def classify(status: int) -> Outcome:
    if 200 <= status < 300:
        return "delivered"
    if status in (404, 410):
        return "gone"
    if status == 429 or status >= 500:
        return "retry"
    return "drop"


def retry_delay(attempts: int, retry_after: str | None, now: datetime) -> float:
    """Seconds until the next try: the service's Retry-After if it gave one (seconds or an
    HTTP date), else exponential backoff; always within [MIN_DELAY, MAX_DELAY]."""
    asked = _parse_retry_after(retry_after, now)
    delay = asked if asked is not None else min(BACKOFF_CAP, BACKOFF_BASE ** max(0, attempts - 1) * 2)
    return max(MIN_DELAY, min(MAX_DELAY, delay))


def _parse_retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None or now.tzinfo is None:
        return None
    return (when - now).total_seconds()
