"""Requests as calendar events, read back with icalendar: a wished-for day is an all-day event,
an open request without one sits at its due time; the UID is the request's; a feed carries no
request text."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from pwa.ics import calendar

DUE = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def item(**overrides):
    return {
        "id": "5f0c",
        "type_id": "letter",
        "type_name": {"nl": "Brief", "en": "Letter"},
        "status": "submitted",
        "version": 3,
        "wished_for": None,
        "done_due_at": DUE.isoformat(),
        "description": "Brief aan de huurders",
        **overrides,
    }


def events(raw: bytes):
    return [c for c in Calendar.from_ical(raw).walk("VEVENT")]


def test_a_wished_for_day_is_an_all_day_event_and_a_due_time_a_short_one():
    raw = calendar(
        [item(wished_for="2026-12-07"), item(id="77aa")], "https://pool.example", "en", name="mine", with_text=True
    )
    day, due = events(raw)
    assert str(day["summary"]) == "Wished for: Letter" and day.decoded("dtstart") == date(2026, 12, 7)
    assert day.decoded("dtend") == date(2026, 12, 8)
    assert str(due["summary"]) == "Due: Letter" and due.decoded("dtend") == DUE
    assert due.decoded("dtstart") == DUE - timedelta(minutes=15)
    assert str(day["uid"]) == "5f0c@secpool" and int(day["sequence"]) == 3
    assert str(day["url"]) == "https://pool.example/requests/5f0c"
    assert "Brief aan de huurders" in str(day["description"])


def test_a_feed_has_no_request_text_and_a_closed_request_is_cancelled():
    raw = calendar(
        [item(status="cancelled"), item(id="77aa")], "https://pool.example", "nl", name="feed", with_text=False
    )
    cancelled, due = events(raw)
    assert str(cancelled["status"]) == "CANCELLED" and str(due["status"]) == "CONFIRMED"
    assert str(due["summary"]) == "Uiterlijk klaar: Brief"
    assert all("huurders" not in str(e["description"]) for e in (cancelled, due))
    assert str(Calendar.from_ical(raw)["x-wr-calname"]) == "feed"
