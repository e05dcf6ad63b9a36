"""Chart geometry for the server-rendered SVG: axes that read well, bars inside the plot,
gaps for missing weeks, and the same data as a table."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from pwa.i18n import formatters
from pwa.views import charts
from pwa.views.lead import insight_charts
from services.intake import figures


def fmt(v: float) -> str:
    return f"{v:g}"


def test_the_axis_steps_are_round_and_counts_step_by_whole_numbers():
    assert [charts.nice_top(v) for v in (0, 0.3, 1, 3, 7, 12, 49, 51, 100, 999)] == [
        1.0,
        0.5,
        1.0,
        5.0,
        10.0,
        20.0,
        50.0,
        100.0,
        100.0,
        1000.0,
    ]
    assert charts.scale(5, whole=True) == (6.0, 2.0)
    assert charts.scale(40) == (40.0, 10.0)
    top, step = charts.scale(0.3)
    assert step == 0.1 and abs(top - 0.3) < 1e-9
    assert charts.scale(2, whole=True) == (2.0, 1.0)
    assert charts.scale(63, top=100.0) == (100.0, 25.0)


def test_bars_stay_inside_the_plot_and_scale_to_the_axis():
    chart = charts.bar_chart(["w1", "w2", "w3"], [[10, 20, None], [5, 0, 40]], fmt)
    assert len(chart.bars) == 5  # the missing week draws no bar
    bottom = charts.HEIGHT - charts.BOTTOM
    for bar in chart.bars:
        assert bar.x >= charts.LEFT and bar.x + bar.width <= charts.WIDTH - charts.RIGHT
        assert bar.y >= charts.TOP and abs(bar.y + bar.height - bottom) < 0.2
    tallest = max(chart.bars, key=lambda b: b.height)
    plot = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert [t.text for t in chart.ticks] == ["0", "10", "20", "30", "40"]
    assert tallest.text == "40" and abs(tallest.height - plot) < 0.2


def test_the_table_holds_every_value_and_a_dash_for_missing_ones():
    chart = charts.bar_chart(["w1", "w2"], [[1, None], [3, 4]], fmt)
    assert chart.rows == [("w1", ["1", "3"]), ("w2", ["–", "4"])]
    assert not chart.empty and charts.bar_chart(["w1"], [[None]], fmt).empty
    assert charts.bar_chart(["w1", "w2"], [[0, 0]], fmt, whole=True).empty  # no counts yet: say so


def test_measured_zeros_are_figures_that_show_as_bars():
    chart = charts.bar_chart(["w1", "w2"], [[0.0, None]], fmt)  # a median pick-up of 0.0 minutes
    assert not chart.empty and chart.rows == [("w1", ["0"]), ("w2", ["–"])]
    assert len(chart.bars) == 1 and chart.bars[0].height >= charts.ZERO_BAR > 0


def test_a_line_skips_missing_points_and_keeps_the_fixed_top():
    chart = charts.line_chart(["a", "b", "c"], [50.0, None, 100.0], fmt, top=100.0)
    assert len(chart.dots) == 2 and chart.points.count(",") == 2
    assert chart.dots[1].y == charts.TOP and chart.ticks[-1].text == "100"


def test_many_weeks_label_every_other_one():
    chart = charts.bar_chart([f"w{i}" for i in range(8)], [[1] * 8], fmt)
    assert [label.text for label in chart.labels] == ["w0", "w2", "w4", "w6"]


def picked_up_within_seconds(sent: datetime) -> figures.Row:
    return figures.Row(
        type_id="letter",
        submitted_at=sent,
        picked_up_at=sent + timedelta(seconds=2),
        done_at=None,
        done_due_at=sent + timedelta(days=1),
        rating=None,
        minutes_saved=0,
    )


def test_five_pick_ups_within_seconds_chart_their_median_pick_up_time():
    """The week's median pick-up rounds to 0.0 minutes: the chart shows it, with the week before
    (no pick-ups) as a gap."""
    tz = ZoneInfo("Europe/Amsterdam")
    monday = date(2026, 11, 23)
    sent = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    rows = [picked_up_within_seconds(sent + timedelta(minutes=k)) for k in range(5)]
    insights = figures.pool_insights("p", rows, {}, [monday - timedelta(weeks=1), monday], tz)
    for language in ("nl", "en"):
        chart = insight_charts(insights, formatters(language, tz))["pickup"]
        assert not chart.empty
        assert chart.rows[-1][1] == ["0"] and chart.rows[0][1] == ["–"]
