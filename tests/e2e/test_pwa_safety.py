"""The pwa's forms refuse posts without their CSRF token, and hostile text (tests/data/
xss_corpus.json: script tags, attribute breaks, htmx attributes, ...) typed into a request
or a kudos comes back escaped on every page that shows it — never as markup."""

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import escape

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person, start

people = test_pwa_pages.people  # the shared fixture

CORPUS = json.loads((Path(__file__).parents[1] / "data" / "xss_corpus.json").read_text(encoding="utf-8"))["cases"]
SCRIPTS_IN_BASE = 5  # htmx, its SSE extension, app.js, files.js, passkeys.js


def shows_only_escaped(html: str, text: str) -> None:
    assert str(escape(text)) in html, f"missing (escaped): {text!r}"
    if any(c in text for c in "<>\"'"):
        assert text not in html, f"came back as markup: {text!r}"
    assert len(re.findall(r"<script\b", html, re.I)) == SCRIPTS_IN_BASE


@pytest.fixture
def system(processes: Processes) -> Processes:
    processes.env["SECPOOL_KUDOS_PER_MINUTE"] = "1000"  # the corpus sends more kudos a minute than anyone would
    start(processes, SECPOOL_KUDOS_DAILY_LIMIT="1000")
    return processes


FORMS = {
    "/requests": {"type_id": "letter", "description": "x", "idempotency_key": "k" * 16},
    "/offers/presence": {"presence": "away"},
    "/wall/kudos": {"recipients": "x", "message": "hi"},
    "/language": {"lang": "en"},
    "/sign-out-everywhere": {},
    "/settings/notifications": {"kinds": "kudos"},
    "/pool/policy": {"why": "because"},
}


def test_a_form_posted_without_its_csrf_token_is_refused(people: Callable[..., Person], system: Processes) -> None:
    person = people().sign_in(STAFF)
    stolen = people().token()  # a token from someone else's page (another browser's cookie)
    for path, form in FORMS.items():
        assert person.http.post(path, data=form).status_code == 403, path
        assert person.http.post(path, data={**form, "_csrf_token": "forged"}).status_code == 403, path
        assert person.http.post(path, data={**form, "_csrf_token": stolen}).status_code == 403, path
    assert person.page("/requests").status_code == 200  # still signed in: nothing above went through


def test_hostile_request_text_is_escaped_for_requester_and_member(
    people: Callable[..., Person], system: Processes
) -> None:
    staff = people().sign_in(STAFF)
    member = people().sign_in(MEMBER)
    for case in CORPUS[:20]:
        form = {"type_id": "letter", "description": case["text"], "idempotency_key": str(uuid.uuid4())}
        response = staff.post("/requests", form, token_from="/requests/new")
        assert response.status_code == 303, (case["name"], response.text[:300])
        page = response.headers["location"].split("?")[0]
        if case["text"].strip():
            shows_only_escaped(staff.page(page).text, case["text"].strip())
            shows_only_escaped(member.page(page).text, case["text"].strip())


def test_hostile_kudos_are_escaped_on_the_wall(people: Callable[..., Person], system: Processes) -> None:
    staff = people().sign_in(STAFF)
    recipient = re.search(r'name="recipients" value="([^"]+)"[^>]*> Sanne de Vries', staff.page("/wall/new").text)
    assert recipient, "Sanne is in the people picker"
    sent = []
    for case in CORPUS:
        message = case["text"].strip()
        if not message or len(message) > 500:
            continue
        response = staff.post(
            "/wall/kudos", {"recipients": recipient.group(1), "message": case["text"]}, token_from="/wall/new"
        )
        assert response.status_code == 303, (case["name"], response.text[:300])
        sent.append(message)
    pages, path = [], "/wall"
    while path:  # the wall pages 20 at a time: follow "older kudos" to the end
        pages.append(staff.page(path).text)
        older = re.search(r'href="(/wall\?before=[^"]+)"', pages[-1])
        path = older.group(1).replace("&amp;", "&") if older else ""
    for message in sent:
        shows_only_escaped(next((p for p in pages if str(escape(message)) in p), pages[0]), message)
