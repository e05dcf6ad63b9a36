"""Team-level figures of a pool per week and per request type (pure; no I/O).

Definitions, for a week [Monday 00:00, next Monday 00:00) in the organisation's time zone:
- requests_in: submitted in the week; requests_done: done in the week;
- pick-up minutes (submitted → picked up) of the requests picked up in the week;
- done minutes (submitted → done) of the requests done in the week;
- on_time_share: of those done, the share done by their (pause-adjusted) due time;
- average_rating / ratings: over the rated requests done in the week;
- minutes_saved: the sum of the types' manager-minutes estimates over those done.
Medians and p90 interpolate linearly between ranks (PostgreSQL's percentile_cont).
Nothing here knows who did the work: the figures are the team's.
"""

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from services.contracts.intake_api import Figures, PoolInsights, TypeFigures, WeekFigures


class Row(msgspec.Struct, frozen=True):
    type_id: str
    submitted_at: datetime
    picked_up_at: datetime | None
    done_at: datetime | None
    done_due_at: datetime
    rating: int | None
    minutes_saved: int


def percentile(values: Sequence[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_ending(until: date, count: int) -> list[date]:
    """The Mondays of the `count` weeks up to and including the one holding `until`."""
    last = week_start(until)
    return [last - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def figures(rows: Iterable[Row], start: datetime, end: datetime) -> Figures:
    def within(at: datetime | None) -> bool:
        return at is not None and start <= at < end

    rows = list(rows)
    came_in = [r for r in rows if within(r.submitted_at)]
    pickups = [_minutes(r.submitted_at, r.picked_up_at) for r in rows if r.picked_up_at and within(r.picked_up_at)]
    done = [r for r in rows if within(r.done_at)]
    done_minutes = [_minutes(r.submitted_at, r.done_at) for r in done if r.done_at]
    ratings = [r.rating for r in done if r.rating is not None]
    on_time = [r for r in done if r.done_at and r.done_at <= r.done_due_at]
    return Figures(
        requests_in=len(came_in),
        requests_done=len(done),
        median_pickup_minutes=_round(percentile(pickups, 0.5)),
        p90_pickup_minutes=_round(percentile(pickups, 0.9)),
        median_done_minutes=_round(percentile(done_minutes, 0.5)),
        p90_done_minutes=_round(percentile(done_minutes, 0.9)),
        on_time_share=_round(len(on_time) / len(done), 3) if done else None,
        average_rating=_round(sum(ratings) / len(ratings), 2) if ratings else None,
        ratings=len(ratings),
        minutes_saved=sum(r.minutes_saved for r in done),
    )


def _by_type(rows: list[Row], names: dict[str, dict[str, str]], start: datetime, end: datetime) -> list[TypeFigures]:
    result = []
    for type_id in sorted({r.type_id for r in rows}):
        f = figures((r for r in rows if r.type_id == type_id), start, end)
        if f.requests_in or f.requests_done or f.median_pickup_minutes is not None:
            name = names.get(type_id, {"nl": type_id, "en": type_id})
            result.append(TypeFigures(type_id=type_id, type_name=name, figures=f))
    return result


def pool_insights(
    pool_id: str, rows: list[Row], names: dict[str, dict[str, str]], mondays: list[date], tz: ZoneInfo
) -> PoolInsights:
    """The pool's figures for each week in `mondays` (oldest first), per type and in total."""
    weeks = []
    for monday in mondays:
        start, end = local_midnight(monday, tz), local_midnight(monday + timedelta(weeks=1), tz)
        year, number, _ = monday.isocalendar()
        weeks.append(
            WeekFigures(
                week=f"{year}-W{number:02d}",
                starts_on=monday,
                total=figures(rows, start, end),
                by_type=_by_type(rows, names, start, end),
            )
        )
    first, after = mondays[0], mondays[-1] + timedelta(weeks=1)
    start, end = local_midnight(first, tz), local_midnight(after, tz)
    return PoolInsights(
        pool_id=pool_id,
        timezone=tz.key,
        starts_on=first,
        ends_before=after,
        total=figures(rows, start, end),
        by_type=_by_type(rows, names, start, end),
        weeks=weeks,
    )
