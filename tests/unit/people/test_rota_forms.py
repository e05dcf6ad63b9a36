"""How the rota page reads what people type: hours like '8:30-13:00, 13:30-17' and an absence
from a first to a last day (whole Dutch days, the last one included)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pwa.views.rota import AbsenceForm, absence_period, span_text, spans_of
from services.contracts.routing_api import Span


@pytest.mark.parametrize(
    ("typed", "spans"),
    [
        ("8:30-13:00", [[510, 780]]),
        ("13.30 - 17, 8:30-12:00", [[510, 720], [810, 1020]]),
        ("", []),
        ("0-24", [[0, 1440]]),
        ("9:00-8:00", None),
        ("9-25", None),
        ("morning", None),
        ("9:75-10", None),
    ],
)
def test_hours_are_read_as_typed(typed, spans):
    assert spans_of(typed) == spans


def test_hours_are_written_back_the_way_they_are_typed():
    assert span_text([Span(510, 780), Span(810, 1020)]) == "8:30-13:00, 13:30-17:00"


def test_an_absence_covers_whole_days_in_the_organisations_time_zone():
    ams = ZoneInfo("Europe/Amsterdam")
    assert absence_period(AbsenceForm("2026-07-06", "2026-07-17"), ams) == (
        datetime(2026, 7, 6, tzinfo=ams),
        datetime(2026, 7, 18, tzinfo=ams),
    )
    assert absence_period(AbsenceForm("2026-07-06", ""), ams) == (
        datetime(2026, 7, 6, tzinfo=ams),
        datetime(2026, 7, 7, tzinfo=ams),
    )
    assert absence_period(AbsenceForm("2026-07-17", "2026-07-06"), ams) is None
    assert absence_period(AbsenceForm("soon", ""), ams) is None
