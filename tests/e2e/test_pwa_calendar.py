"""Calendars through the pages: a request's `.ics` and a person's private feed both parse with
icalendar; the feed needs no session, shows open work and due dates without request text, and
stops working when replaced or stopped."""

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import httpx
from icalendar import Calendar

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_files import accept_offer
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person
from tests.e2e.test_pwa_requests import english, only_available

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system
LINK = re.compile(r'id="calendar-link" type="url" readonly value="([^"]+)"')


def make_link(person: Person) -> str:
    shown = person.post("/settings/calendar", {"action": "new"})
    assert shown.status_code == 200, shown.text[:300]
    found = LINK.search(shown.text)
    assert found, "no calendar link on the page"
    return found.group(1)


def events(raw: bytes) -> list:
    return list(Calendar.from_ical(raw).walk("VEVENT"))


def test_the_ics_and_the_private_feed_parse_and_the_feed_can_be_revoked(
    system: Processes, people: Callable[..., Person]
) -> None:
    only_available(system, MEMBER)
    anna, sanne = english(people(), STAFF), english(people(), MEMBER)
    wished = (date.today() + timedelta(days=9)).isoformat()
    form = {
        "type_id": "letter",
        "description": "Jubileumbrief voor Kees",
        "wished_for": wished,
        "idempotency_key": str(uuid.uuid4()),
    }
    request_page = anna.post("/requests", form, token_from="/requests/new").headers["location"].split("?")[0]
    request_id = request_page.rsplit("/", 1)[-1]
    assert f'href="{request_page}/calendar.ics"' in anna.page(request_page).text
    download = anna.page(f"{request_page}/calendar.ics")
    assert download.headers["content-type"].startswith("text/calendar")
    [event] = events(download.content)
    assert str(event["uid"]) == f"{request_id}@secpool" and event.decoded("dtstart") == date.fromisoformat(wished)
    assert "Jubileumbrief voor Kees" in str(event["description"])

    feed_url = make_link(anna)
    anonymous = httpx.get(feed_url)  # a calendar app: no cookies
    assert anonymous.status_code == 200 and anonymous.headers["content-type"].startswith("text/calendar")
    [mine] = events(anonymous.content)
    assert str(mine["uid"]) == f"{request_id}@secpool" and "Jubileumbrief" not in str(mine["description"])

    accept_offer(sanne)
    member_feed = events(httpx.get(make_link(sanne)).content)
    assert f"{request_id}@secpool" in {str(e["uid"]) for e in member_feed}  # the work she is on

    replaced = make_link(anna)
    assert httpx.get(feed_url).status_code == 404 and httpx.get(replaced).status_code == 200
    stopped = anna.post("/settings/calendar", {"action": "stop"})
    assert stopped.headers["location"].startswith("/settings?notice=calendar_stopped")
    assert httpx.get(replaced).status_code == 404
