"""Recurring requests through the pages (no JavaScript): the requester repeats a request every
Monday, sees when it comes next (never on a public holiday), pauses, resumes and stops it.
(Sending on the day itself is shown on a simulated clock in tests/integration/intake/test_recurring.py.)"""

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays

from pwa.i18n import formatters
from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import STAFF, Person
from tests.e2e.test_pwa_requests import english

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system


def next_monday_at_work(today: date) -> date:
    day = today + timedelta(days=(7 - today.weekday()) or 7)
    while day in holidays.country_holidays("NL") or day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_request_repeated_every_monday_can_be_paused_resumed_and_stopped(
    system: Processes, people: Callable[..., Person]
) -> None:
    anna = english(people(), STAFF)
    form = {"type_id": "letter", "description": "Weekoverleg: notulen", "idempotency_key": str(uuid.uuid4())}
    request_page = anna.post("/requests", form, token_from="/requests/new").headers["location"].split("?")[0]
    assert "Repeat this request" in anna.page(request_page).text
    repeated = anna.post(f"{request_page}/repeat", {"when": "weekly-0"}, token_from=request_page)
    assert repeated.headers["location"] == "/requests/recurring?notice=repeating"

    listed = anna.page("/requests/recurring").text
    assert "every Monday" in listed and "Weekoverleg: notulen" in listed
    expected = next_monday_at_work(date.today())
    assert f"Next: {formatters('en', ZoneInfo('Europe/Amsterdam'))['day'](expected, 'full')}" in listed
    schedule = re.search(r'action="(/requests/recurring/[0-9a-f-]+)/pause"', listed)
    assert schedule, listed[-2000:]
    assert anna.post(f"{schedule.group(1)}/pause", {}).headers["location"].endswith("notice=recurring_pause")
    assert "Paused" in anna.page("/requests/recurring").text
    assert anna.post(f"{schedule.group(1)}/resume", {}).headers["location"].endswith("notice=recurring_resume")
    assert anna.post(f"{schedule.group(1)}/stop", {}).headers["location"].endswith("notice=recurring_stop")
    assert "Nothing recurring yet" in anna.page("/requests/recurring").text
