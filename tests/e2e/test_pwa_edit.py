"""Editing a request through the pages (no JavaScript): the requester changes it before pick-up
and the change is in its timeline for the member too; afterwards the page points to the
conversation instead."""

import uuid
from collections.abc import Callable

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_files import accept_offer
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person
from tests.e2e.test_pwa_requests import english, only_available

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system


def test_an_edit_before_pick_up_shows_in_the_timeline(system: Processes, people: Callable[..., Person]) -> None:
    only_available(system, "nobody@example.org")  # nobody picks it up while Anna changes it
    anna, sanne = english(people(), STAFF), english(people(), MEMBER)
    form = {"type_id": "letter", "description": "Brief aan de huurders", "idempotency_key": str(uuid.uuid4())}
    request_page = anna.post("/requests", form, token_from="/requests/new").headers["location"].split("?")[0]
    assert 'href="' + request_page + '/edit"' in anna.page(request_page).text
    edit = anna.page(f"{request_page}/edit").text
    assert "Brief aan de huurders</textarea>" in edit
    saved = anna.post(
        f"{request_page}/edit/",
        {"description": "Brief aan de huurders van blok B", "urgency": "high", "wished_for": ""},
        token_from=f"{request_page}/edit",
    )
    assert saved.headers["location"] == f"{request_page}?notice=edited"
    shown = anna.page(request_page).text
    assert "Brief aan de huurders van blok B" in shown
    assert "changed the description, the urgency" in shown

    only_available(system, MEMBER)
    accept_offer(sanne)
    assert "changed the description, the urgency" in sanne.page(request_page).text
    late = anna.http.get(f"{request_page}/edit")
    assert late.headers["location"] == f"{request_page}?notice=too_late_to_edit"
    assert 'href="' + request_page + '/edit"' not in anna.page(request_page).text
