"""When `secpool bench` calls a rate kept up with: everything in time at the rate asked, and
a latency that neither grows through the phase nor started out at seconds."""

from services.cli.bench import keeps_up


def verdict(first_quarter_ms: float, growth_ms: float | None, **changes: object) -> bool:
    facts: dict = {"all_in_time": True, "at_rate": True, "samples": 150} | changes
    return keeps_up(first_quarter_ms=first_quarter_ms, growth_ms=growth_ms, **facts)


def test_a_steady_low_latency_keeps_up() -> None:
    assert verdict(25.0, 3.0)
    assert verdict(300.0, 140.0)  # slow but steady on a busy machine: within half the start


def test_a_latency_that_grows_through_the_phase_backs_up() -> None:
    assert not verdict(40.0, 320.0)


def test_a_latency_of_seconds_from_the_first_quarter_on_backs_up_even_when_it_stops_growing() -> None:
    assert not verdict(3600.0, -150.0)
    assert not verdict(1000.0, 0.0)


def test_missing_or_late_answers_or_a_rate_not_reached_back_up() -> None:
    assert not verdict(25.0, 3.0, all_in_time=False)
    assert not verdict(25.0, 3.0, at_rate=False)
    assert not verdict(25.0, None)


def test_a_phase_too_short_to_show_a_trend_is_judged_on_arrivals_alone() -> None:
    assert verdict(3600.0, None, samples=5)
