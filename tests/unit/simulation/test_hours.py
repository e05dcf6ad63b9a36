"""Shifts for the simulator come from routing's own shift rule: weekly hours, absences and
public holidays, in minutes from the trace's start."""

from datetime import timedelta

from services.routing.shifts import Absence
from services.simulation.hours import GENERATED_START, day_off, week_of, worked

OFFICE = week_of([[(510, 750), (780, 1020)]] * 5 + [[], []])  # Mon–Fri 8:30–12:30, 13:00–17:00


def test_weekly_hours_become_shifts_on_the_days_worked() -> None:
    spans = worked(OFFICE, GENERATED_START, 7)
    assert spans[:2] == [(510.0, 750.0), (780.0, 1020.0)]
    assert len(spans) == 10 and all(start // 1440 < 5 for start, _ in spans)


def test_a_day_off_and_a_public_holiday_have_no_shifts() -> None:
    holiday = (GENERATED_START + timedelta(days=2)).date()
    spans = worked(OFFICE, GENERATED_START, 7, absences=[day_off(1)], holidays=frozenset({holiday}))
    assert sorted({int(start // 1440) for start, _ in spans}) == [0, 3, 4]


def test_an_absence_cuts_a_shift_short() -> None:
    lunch_home = Absence(
        starts_at=GENERATED_START + timedelta(minutes=600), ends_at=GENERATED_START + timedelta(minutes=900)
    )
    assert worked(OFFICE, GENERATED_START, 1, absences=[lunch_home]) == [(510.0, 600.0), (900.0, 1020.0)]


def test_spans_that_touch_make_one_shift_across_midnight() -> None:
    nights = week_of([[(0, 360), (1320, 1440)]] * 7)
    assert worked(nights, GENERATED_START, 2)[:2] == [(0.0, 360.0), (1320.0, 1800.0)]
