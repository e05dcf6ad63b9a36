"""Requests as calendar events (iCalendar, RFC 5545, with `icalendar`; pure, no I/O).

A request with a wished-for date is an all-day event on that day; an open one without is a
short event at its due time. The UID is the request's, so a calendar updates the same event
when the request changes (SEQUENCE = its version) and drops it once it is closed (CANCELLED).
A downloaded `.ics` carries the request's text; a feed (kept by a calendar provider) only the
type and a link.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from pwa.i18n import moment, translations

PRODID = "-//secpool//secpool requests//EN"
DUE_MINUTES = 15


def _event(item: dict[str, Any], base_url: str, lang: str, *, with_text: bool, now: datetime) -> Event | None:
    _ = translations(lang).gettext
    name = item["type_name"].get(lang) or item["type_id"]
    event = Event()
    event.add("uid", f"{item['id']}@secpool")
    event.add("dtstamp", now)
    event.add("sequence", int(item.get("version") or 0))
    event.add("url", f"{base_url}/requests/{item['id']}")
    closed = item["status"] in ("done", "cancelled")
    if item.get("wished_for"):
        day = date.fromisoformat(str(item["wished_for"]))
        event.add("summary", _("Wished for: %(type)s") % {"type": name})
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        due = moment(item["done_due_at"])
        if due is None:
            return None
        event.add("summary", _("Due: %(type)s") % {"type": name})
        event.add("dtstart", due - timedelta(minutes=DUE_MINUTES))
        event.add("dtend", due)
    event.add("status", "CANCELLED" if closed else "CONFIRMED")
    text = f"{base_url}/requests/{item['id']}"
    if with_text and item.get("description"):
        text = f"{item['description'][:1000]}\n\n{text}"
    event.add("description", text)
    return event


def calendar(
    items: Iterable[dict[str, Any]],
    base_url: str,
    lang: str,
    *,
    name: str,
    with_text: bool,
    now: datetime | None = None,
) -> bytes:
    """The requests as one calendar (`text/calendar` bytes)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = now or datetime.now(UTC)
    seen: set[str] = set()
    for item in items:
        if item["id"] in seen:
            continue
        seen.add(item["id"])
        event = _event(item, base_url, lang, with_text=with_text, now=stamp)
        if event is not None:
            cal.add_component(event)
    return bytes(cal.to_ical())
