"""Team figures (pure): percentiles, ISO weeks in the organisation's zone, one week by hand."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec

from services.contracts.intake_api import Figures
from services.intake.figures import Row, figures, local_midnight, percentile, pool_insights, weeks_ending

AMS = ZoneInfo("Europe/Amsterdam")


def test_percentiles_interpolate_between_ranks_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([10.0, 20.0, 30.0], 0.5) == 20.0
    assert percentile([30.0, 10.0, 20.0], 0.9) == 28.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5


def test_weeks_run_monday_to_monday_in_the_organisations_zone():
    assert weeks_ending(date(2026, 3, 15), 3) == [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9)]
    assert weeks_ending(date(2026, 3, 16), 1) == [date(2026, 3, 16)]
    assert local_midnight(date(2026, 3, 9), AMS) == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)  # CET
    assert local_midnight(date(2026, 6, 1), AMS) == datetime(2026, 5, 31, 22, 0, tzinfo=UTC)  # CEST


def row(
    type_id: str,
    submitted: datetime,
    pick: float | None,
    done: float | None,
    due: float,
    rating: int | None,
    saved: int,
) -> Row:
    def plus(minutes: float | None) -> datetime | None:
        return None if minutes is None else submitted + timedelta(minutes=minutes)

    return Row(
        type_id=type_id,
        submitted_at=submitted,
        picked_up_at=plus(pick),
        done_at=plus(done),
        done_due_at=submitted + timedelta(minutes=due),
        rating=rating,
        minutes_saved=saved,
    )


def test_one_week_by_hand():
    monday = local_midnight(date(2026, 3, 2), AMS)
    rows = [
        row("a", monday + timedelta(hours=10), 10, 120, 240, 5, 20),
        row("a", monday + timedelta(hours=30), 30, 360, 240, 3, 20),  # late
        row("b", monday + timedelta(hours=50), 20, 120, 480, None, 30),
        row("b", monday + timedelta(hours=60), None, None, 480, None, 30),  # still waiting
        row("b", monday - timedelta(hours=5), 600, 700, 900, 4, 30),  # came in the week before
    ]
    week = figures(rows, monday, monday + timedelta(weeks=1))
    assert week == Figures(
        requests_in=4,
        requests_done=4,
        median_pickup_minutes=25.0,
        p90_pickup_minutes=429.0,
        median_done_minutes=240.0,
        p90_done_minutes=598.0,
        on_time_share=0.75,
        average_rating=4.0,
        ratings=3,
        minutes_saved=100,
    )
    empty = figures([], monday, monday + timedelta(weeks=1))
    assert (empty.requests_in, empty.median_pickup_minutes, empty.on_time_share, empty.average_rating) == (
        0,
        None,
        None,
        None,
    )


def test_the_insights_carry_no_people():
    monday = local_midnight(date(2026, 3, 2), AMS)
    insights = pool_insights(
        "p",
        [row("a", monday + timedelta(hours=1), 5, 50, 60, 4, 20)],
        {"a": {"nl": "A", "en": "A"}},
        [date(2026, 3, 2)],
        AMS,
    )
    encoded = msgspec.json.encode(insights).decode()
    assert "member" not in encoded and insights.weeks[0].by_type[0].figures.requests_done == 1
