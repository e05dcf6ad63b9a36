"""When a recurring request comes round (pure, no I/O): "every Monday" (any weekday) or "the
first working day of the month". A weekly day that is a public holiday moves to the next working
day; the first working day of a month is never a weekend day or a public holiday."""

from collections.abc import Callable
from datetime import date, timedelta

from services.contracts.intake_api import Rule

IsHoliday = Callable[[date], bool]


def working_day(day: date, is_holiday: IsHoliday) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: date, is_holiday: IsHoliday) -> date:
    """`day` itself if people work then, else the first working day after it."""
    while not working_day(day, is_holiday):
        day += timedelta(days=1)
    return day


def _first_working_day_from(month_start: date, is_holiday: IsHoliday) -> date:
    return next_working_day(month_start, is_holiday)


def next_on(rule: Rule, weekday: int, after: date, is_holiday: IsHoliday) -> date:
    """The first day strictly after `after` on which the request is sent."""
    if rule == "weekly":
        # The scheduled weekday of each week in turn; a holiday moves it to the next working day.
        week_day = after - timedelta(days=(after.weekday() - weekday) % 7)
        while True:
            moved = next_working_day(week_day, is_holiday)
            if moved > after:
                return moved
            week_day += timedelta(weeks=1)
    month = date(after.year, after.month, 1)
    while True:
        first = _first_working_day_from(month, is_holiday)
        if first > after:
            return first
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
