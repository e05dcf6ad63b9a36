"""Requests through the pages over plain HTTP (no JavaScript): the form's own checks, a
request cancelled by its requester, an offer declined with a reason (the requester's timeline
shows the decline; decision explanations stay with the pool), and a second tap on a form
that no longer applies."""

import re
import time
import uuid
from collections.abc import Callable

import httpx

from services.demo import organisation
from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person
from tests.support import auth, caller

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system


def only_available(processes: Processes, email: str) -> None:
    for p in organisation().people:
        if "secretary" in p.roles:
            who = caller(*p.roles, pools=tuple(p.pools), account_id=p.id)
            presence = "available" if p.email == email else "away"
            response = httpx.put(
                f"{processes.url('routing')}/v1/members/me/presence",
                json={"presence": presence},
                headers=auth(who, "routing"),
            )
            assert response.status_code == 200, response.text


def english(person: Person, email: str) -> Person:
    person.http.cookies.set("secpool_lang", "en", domain="127.0.0.1")
    return person.sign_in(email)


def test_the_form_names_what_is_missing_and_keeps_what_was_typed(
    system: Processes, people: Callable[..., Person]
) -> None:
    staff = english(people(), STAFF)
    form = {"type_id": "", "description": "Reis naar <Gent>", "urgency": "high", "idempotency_key": str(uuid.uuid4())}
    refused = staff.post("/requests", form, token_from="/requests/new")
    assert refused.status_code == 422
    assert 'id="type_id-error"' in refused.text and "Reis naar &lt;Gent&gt;</textarea>" in refused.text
    assert re.search(r'value="high"\s+checked', refused.text)
    assert form["idempotency_key"] in refused.text  # the same key: a second try cannot make two requests
    sent = staff.post("/requests", {**form, "type_id": "travel-booking"}, token_from="/requests/new")
    again = staff.post("/requests", {**form, "type_id": "travel-booking"}, token_from="/requests/new")
    assert sent.headers["location"].split("?")[0] == again.headers["location"].split("?")[0]


def test_a_requester_cancels_before_work_starts(system: Processes, people: Callable[..., Person]) -> None:
    staff = english(people(), STAFF)
    form = {"type_id": "letter", "description": "Toch niet nodig", "idempotency_key": str(uuid.uuid4())}
    page = staff.post("/requests", form, token_from="/requests/new").headers["location"].split("?")[0]
    assert staff.post(f"{page}/cancel", {"reason": "al geregeld"}).headers["location"] == f"{page}?notice=cancelled"
    shown = staff.page(page).text
    assert "chip--cancelled" in shown and "al geregeld" not in shown.split('id="request-status"')[0]
    assert staff.post(f"{page}/cancel", {}).headers["location"] == f"{page}?notice=refused"
    assert 'id="comment"></div>' in shown  # no conversation on a closed request


def test_a_declined_offer_keeps_its_reason_for_the_pool(system: Processes, people: Callable[..., Person]) -> None:
    only_available(system, MEMBER)
    staff, sanne = english(people(), STAFF), english(people(), MEMBER)
    form = {"type_id": "letter", "description": "Brief aan de VvE", "idempotency_key": str(uuid.uuid4())}
    request_page = staff.post("/requests", form, token_from="/requests/new").headers["location"].split("?")[0]
    deadline = time.monotonic() + 10
    while not (offer := re.search(r'action="(/offers/[0-9a-f-]+)/decline"', sanne.page("/offers").text)):
        assert time.monotonic() < deadline, "the offer never reached Sanne"
        time.sleep(0.05)
    no_reason = sanne.post(f"{offer.group(1)}/decline", {})
    assert no_reason.headers["location"].startswith("/offers?notice=no_reason")
    declined = sanne.post(f"{offer.group(1)}/decline", {"reason": "busy", "detail": "tot drie uur"})
    assert declined.headers["location"] == "/offers?notice=declined"
    assert sanne.post(f"{offer.group(1)}/accept", {}).headers["location"] == "/offers?notice=taken"
    deadline = time.monotonic() + 10
    while "Declined; the pool looks for someone else" not in (shown := staff.page(request_page).text):
        assert time.monotonic() < deadline, "the requester's timeline does not show the decline:\n" + shown[-3000:]
        time.sleep(0.05)  # intake hears of it from routing a moment later
    why = staff.http.get(request_page.replace("/requests/", "/pool/requests/"))
    assert why.status_code == 403  # decision explanations are the pool's, not the requester's
