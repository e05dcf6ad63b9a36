"""When recurring requests come round: weekdays and first working days, skipping weekends and
Dutch public holidays (from the `holidays` package)."""

from datetime import date

import holidays
import pytest

from services.intake.recurrence import next_on

DUTCH = holidays.country_holidays("NL")


def dutch(day: date) -> bool:
    return day in DUTCH


def occurrences(rule, weekday, start: date, count: int) -> list[date]:
    days, day = [], start
    for _ in range(count):
        day = next_on(rule, weekday, day, dutch)
        days.append(day)
    return days


def test_every_monday_moves_off_easter_monday_to_the_tuesday():
    # 2027: Easter Monday is 29 March.
    assert occurrences("weekly", 0, date(2027, 3, 12), 4) == [
        date(2027, 3, 15),
        date(2027, 3, 22),
        date(2027, 3, 30),
        date(2027, 4, 5),
    ]


def test_a_weekly_day_comes_strictly_after_the_day_given():
    assert next_on("weekly", 2, date(2026, 12, 2), dutch) == date(2026, 12, 9)  # a Wednesday → the next one
    assert next_on("weekly", 2, date(2026, 12, 1), dutch) == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (date(2026, 12, 15), date(2027, 1, 4)),  # 1 Jan is New Year's Day, 2–3 Jan a weekend
        (date(2027, 4, 1), date(2027, 5, 3)),  # 1–2 May 2027 are a weekend
        (date(2026, 10, 31), date(2026, 11, 2)),
        (date(2026, 11, 2), date(2026, 12, 1)),
    ],
)
def test_the_first_working_day_of_the_month_skips_weekends_and_holidays(after, expected):
    assert next_on("first_working_day", 0, after, dutch) == expected
