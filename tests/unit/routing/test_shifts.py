"""Working hours, absence and public holidays (shifts.py): on shift or why not, the next
opening, and the shift position the finish estimate uses — in Amsterdam time, DST included."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.routing_api import Span
from services.routing import shifts
from services.routing.shifts import ALWAYS, NO_WEEK, Absence

AMS = ZoneInfo("Europe/Amsterdam")
# A part-timer: Monday, Tuesday and Thursday 8:30–13:00.
PART_TIME = ((Span(510, 780),), (Span(510, 780),), (), (Span(510, 780),), (), (), ())


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def test_a_part_timer_is_on_shift_only_within_her_hours_on_her_days():
    monday = local(2025, 3, 3, 9, 0)
    assert shifts.state(PART_TIME, monday, zone=AMS) == shifts.ON_SHIFT
    assert (
        shifts.state(PART_TIME, monday.replace(hour=13, minute=0), zone=AMS) == shifts.OFF_SHIFT
    )  # the end is exclusive
    assert shifts.state(PART_TIME, local(2025, 3, 5, 9, 0), zone=AMS) == shifts.OFF_SHIFT  # Wednesday
    assert shifts.on_shift(PART_TIME, local(2025, 3, 6, 12, 59), zone=AMS)  # Thursday


def test_absence_and_public_holidays_take_a_member_off_shift_with_their_own_reason():
    monday = local(2025, 3, 3, 9, 0)
    away = [Absence(starts_at=local(2025, 3, 3, 0, 0), ends_at=local(2025, 3, 4, 0, 0))]
    assert shifts.state(PART_TIME, monday, absences=away, zone=AMS) == shifts.ABSENT
    assert shifts.state(PART_TIME, monday, holidays=frozenset({date(2025, 3, 3)}), zone=AMS) == shifts.PUBLIC_HOLIDAY
    assert shifts.state(NO_WEEK, monday, zone=AMS) == shifts.NO_HOURS
    assert shifts.state(NO_WEEK, monday, absences=away, zone=AMS) == shifts.ABSENT


def test_the_next_opening_skips_absence_holidays_and_days_off():
    wednesday = local(2025, 3, 5, 10, 0)
    assert shifts.next_opening(PART_TIME, wednesday, zone=AMS) == local(2025, 3, 6, 8, 30)
    thursday_off = frozenset({date(2025, 3, 6)})
    assert shifts.next_opening(PART_TIME, wednesday, holidays=thursday_off, zone=AMS) == local(2025, 3, 10, 8, 30)
    # Back from the dentist at 10:15 on Monday: the shift resumes then.
    dentist = [Absence(starts_at=local(2025, 3, 10, 8, 0), ends_at=local(2025, 3, 10, 10, 15))]
    assert shifts.next_opening(PART_TIME, local(2025, 3, 10, 8, 0), absences=dentist, zone=AMS) == local(
        2025, 3, 10, 10, 15
    )
    on_shift = local(2025, 3, 3, 9, 0)
    assert shifts.next_opening(PART_TIME, on_shift, zone=AMS) == on_shift
    assert shifts.next_opening(NO_WEEK, on_shift, zone=AMS) is None


def test_hours_follow_amsterdam_time_across_the_change_to_summer_time():
    # 30 March 2025: clocks go from 2:00 to 3:00. Sunday 8:30 local is 6:30 UTC, no longer 7:30.
    sunday_only = ((), (), (), (), (), (), (Span(510, 780),))
    assert shifts.next_opening(sunday_only, datetime(2025, 3, 29, 12, tzinfo=UTC), zone=AMS) == datetime(
        2025, 3, 30, 6, 30, tzinfo=UTC
    )
    assert shifts.on_shift(sunday_only, datetime(2025, 3, 30, 6, 45, tzinfo=UTC), zone=AMS)


def test_spans_that_meet_at_midnight_make_one_shift():
    nights = tuple((Span(1320, 1440), Span(0, 360)) for _ in range(7))  # 22:00–6:00 every night
    left, gap = shifts.position(nights, local(2025, 3, 4, 23, 0), zone=AMS)
    assert left == 7 * 60 and gap == 16 * 60
    left, gap = shifts.position(ALWAYS, local(2025, 3, 4, 23, 0), zone=AMS)
    assert left is not None and left > 60 * 24 * 7 and gap == 7 * 24 * 60


def test_the_position_tells_time_left_and_the_gap_until_the_next_shift():
    assert shifts.position(PART_TIME, local(2025, 3, 3, 10, 0), zone=AMS) == (
        180.0,
        24 * 60 - 270.0,
    )  # Monday → Tuesday
    assert shifts.position(PART_TIME, local(2025, 3, 3, 14, 0), zone=AMS) == (0.0, 18 * 60 + 30.0)  # until Tuesday 8:30
    assert shifts.position(NO_WEEK, local(2025, 3, 3, 10, 0), zone=AMS) == (None, 0.0)


@pytest.mark.parametrize(
    ("week", "problem"),
    [
        (PART_TIME[:6], "seven days"),
        ((*PART_TIME[:6], (Span(600, 600),)), "Sunday a span must end after it starts"),
        (((Span(480, 720), Span(700, 900)), *PART_TIME[1:]), "Monday two spans overlap"),
    ],
)
def test_impossible_hours_are_named_by_their_day(week, problem):
    found = shifts.problems(week)
    assert found is not None and problem in found


@given(
    st.lists(st.tuples(st.integers(0, 1439), st.integers(1, 600)), max_size=3),
    st.integers(0, 60 * 24 * 14),
)
def test_the_next_opening_is_a_moment_on_shift_and_nothing_earlier_is(spans, offset):
    day = tuple(sorted({Span(a, min(a + n, 1440)) for a, n in spans}, key=lambda s: s.start))
    day = tuple(s for i, s in enumerate(day) if all(s.start >= p.end for p in day[:i]))
    week = (day,) * 5 + ((), ())
    at = local(2025, 1, 6, 0, 0) + timedelta(minutes=offset)
    opening = shifts.next_opening(week, at, zone=AMS)
    if opening is None:
        assert not day
        return
    assert opening >= at and shifts.on_shift(week, opening, zone=AMS)
    if opening > at:
        assert not shifts.on_shift(week, opening - timedelta(minutes=1), zone=AMS)
