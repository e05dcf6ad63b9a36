"""`secpool up`'s restart rule: growing delays, forgiveness after a stable run, and a crash
loop recognised instead of restarting forever."""

import pytest

from services.cli.supervise import RestartPolicy


def test_delays_grow_from_a_quarter_second_and_stay_at_most_four():
    policy = RestartPolicy()
    delays = [policy.delay_after(ran_for=0.2) for _ in range(7)]
    assert delays == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_run_longer_than_stable_after_starts_the_delays_again():
    policy = RestartPolicy(stable_after=30)
    for _ in range(4):
        policy.delay_after(ran_for=1)
    assert policy.delay_after(ran_for=45) == pytest.approx(0.25)


def test_more_quick_deaths_in_a_row_than_allowed_is_a_crash_loop():
    policy = RestartPolicy(give_up_after=3)
    assert [policy.delay_after(ran_for=0.1) for _ in range(3)] == [0.25, 0.5, 1.0]
    assert policy.delay_after(ran_for=0.1) is None


def test_an_outage_of_fifteen_seconds_is_outlasted_without_giving_up():
    """A dependency away for 15 s (e.g. postgres' port taken) makes quick deaths; `up` must
    keep trying, and try again within a few seconds of the outage ending."""
    policy = RestartPolicy()
    clock, attempts = 0.0, []
    while clock < 15:
        delay = policy.delay_after(ran_for=0.2)
        assert delay is not None
        clock += 0.2 + delay
        attempts.append(clock)
    assert attempts[-1] - 15 <= 4.2
