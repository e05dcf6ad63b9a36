"""What a push service's answer means, and the bounded, Retry-After-honouring backoff."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from pwa.push.outcomes import MAX_DELAY, MIN_DELAY, classify, retry_delay

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (201, "delivered"),
        (200, "delivered"),
        (404, "gone"),
        (410, "gone"),
        (429, "retry"),
        (500, "retry"),
        (503, "retry"),
        (400, "drop"),
        (401, "drop"),
        (403, "drop"),
        (413, "drop"),
    ],
)
def test_answers_are_classified(status: int, outcome: str) -> None:
    assert classify(status) == outcome


def test_retry_after_in_seconds_or_as_a_date_is_honoured() -> None:
    assert retry_delay(1, "7", NOW) == 7
    assert retry_delay(1, format_datetime(NOW + timedelta(seconds=90), usegmt=True), NOW) == 90


def test_without_retry_after_the_delay_grows_and_stays_bounded() -> None:
    delays = [retry_delay(n, None, NOW) for n in range(1, 12)]
    assert delays == sorted(delays) and delays[0] >= MIN_DELAY and delays[-1] <= 300
    assert retry_delay(1, "nonsense", NOW) == delays[0]


def test_a_silly_retry_after_is_clamped() -> None:
    assert retry_delay(1, "0", NOW) == MIN_DELAY
    assert retry_delay(1, "999999", NOW) == MAX_DELAY
    assert retry_delay(1, format_datetime(NOW - timedelta(hours=1), usegmt=True), NOW) == MIN_DELAY
