"""The pwa's pages over plain HTTP against the real processes: every page renders in Dutch
and in English with the strict CSP, one URL serves a page or its fragment, and signing in
rotates the session while "sign out everywhere" ends every session.

`Person` (a cookie-keeping client that signs in like a browser) is shared by the other
test_pwa_* modules.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from services.demo import organisation
from tests.e2e.conftest import Processes
from tests.support import auth, caller

STAFF, MEMBER, LEAD = "anna@example.org", "sanne@example.org", "lead@example.org"
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


class Person:
    """One browser without JavaScript: cookies, the form's CSRF token, redirects by hand."""

    def __init__(self, base: str, lang: str = "nl") -> None:
        self.http = httpx.Client(base_url=base, headers={"accept": "text/html", "accept-language": lang})

    @staticmethod
    def token_in(html: str) -> str:
        found = CSRF_FIELD.search(html)
        assert found, "no CSRF field on the page"
        return found.group(1)

    def token(self, path: str = "/sign-in") -> str:
        return self.token_in(self.http.get(path).text)

    def sign_in(self, email: str) -> "Person":
        form = {"email": email, "password": organisation().password, "_csrf_token": self.token()}
        response = self.http.post("/sign-in", data=form)
        assert response.status_code == 303, response.text
        return self

    def post(self, path: str, form: dict[str, Any], *, token_from: str = "/settings") -> httpx.Response:
        return self.http.post(path, data={**form, "_csrf_token": self.token(token_from)})

    def page(self, path: str, **kwargs: Any) -> httpx.Response:
        response = self.http.get(path, **kwargs)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
        return response


def start(processes: Processes, **recognition_env: str) -> None:
    for name in ("intake", "routing"):
        processes.start(name)
    processes.start("recognition", **recognition_env)
    processes.start("pwa")


@pytest.fixture
def system(processes: Processes) -> Iterator[Processes]:
    start(processes)
    yield processes


@pytest.fixture
def people(processes: Processes) -> Iterator[Callable[..., Person]]:
    """Opens `Person`s on the pwa (closed after the test)."""
    opened: list[Person] = []

    def open_person(lang: str = "nl") -> Person:
        opened.append(Person(processes.url("pwa"), lang))
        return opened[-1]

    yield open_person
    for person in opened:
        person.http.close()


def submit(processes: Processes, email: str, description: str, type_id: str = "letter") -> dict[str, Any]:
    person = next(p for p in organisation().people if p.email == email)
    who = caller(*person.roles, pools=tuple(person.pools), account_id=person.id)
    body = {"type_id": type_id, "description": description, "idempotency_key": str(uuid.uuid4())}
    response = httpx.post(f"{processes.url('intake')}/v1/requests/", json=body, headers=auth(who, "intake"))
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_every_page_renders_in_dutch_and_english_under_the_strict_csp(
    system: Processes, people: Callable[..., Person]
) -> None:
    request_id = submit(system, STAFF, "Brief aan de huurders")["id"]
    screens = {
        STAFF: [
            "/requests",
            "/requests/new",
            f"/requests/{request_id}",
            "/wall",
            "/wall/new",
            "/wall/mine",
            "/wall/digest",
            "/settings",
            "/welcome",
        ],
        MEMBER: ["/offers", "/pool", "/pool/policy", "/pool/requests", f"/pool/requests/{request_id}"],
        LEAD: [
            "/lead/queue",
            "/lead/insights",
            "/lead/types",
            "/lead/types/letter",
            "/lead/types/new",
            "/wall/moderation",
        ],
    }
    words = {"nl": ("Instellingen", "Settings"), "en": ("Settings", "Instellingen")}
    for lang, (present, absent) in words.items():
        for email, paths in screens.items():
            person = people(lang)
            person.http.cookies.set("secpool_lang", lang, domain="127.0.0.1")
            person.sign_in(email)
            for path in paths:
                response = person.page(path)
                assert f'<html lang="{lang}">' in response.text, path
                assert present in response.text and absent not in response.text, (lang, path)
                csp = response.headers["content-security-policy"]
                assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
                assert response.headers["x-content-type-options"] == "nosniff"
    anonymous = people("en-GB,en;q=0.9").page("/sign-in")
    assert '<html lang="en">' in anonymous.text and "content-security-policy" in anonymous.headers


def test_the_browser_language_is_the_default_and_the_switch_sticks(
    system: Processes, people: Callable[..., Person]
) -> None:
    person = people("en-US")
    assert '<html lang="en">' in person.page("/sign-in").text
    response = person.post("/language", {"lang": "nl", "next": "/sign-in"}, token_from="/sign-in")
    assert response.status_code == 303 and person.http.cookies.get("secpool_lang") == "nl"
    assert '<html lang="nl">' in person.page("/sign-in").text
    # Signed in, the choice is also kept with the account (another device gets it too).
    person.sign_in("dirk@example.org")
    person.post("/language", {"lang": "nl", "next": "/settings"})
    other_device = people("en").sign_in("dirk@example.org")
    assert '<html lang="nl">' in other_device.page("/requests").text


def test_one_url_serves_the_page_or_its_fragment(system: Processes, people: Callable[..., Person]) -> None:
    item = submit(system, STAFF, "Reis naar Gent boeken")
    person = people().sign_in(STAFF)
    full = person.page(f"/requests/{item['id']}")
    assert full.text.startswith("<!doctype html>")
    assert {name.strip() for name in full.headers["vary"].split(",")} == {"HX-Request", "Accept-Encoding"}
    fragment = person.page(f"/requests/{item['id']}", headers={"hx-request": "true"})
    assert fragment.text.lstrip().startswith('<div id="request-live"') and "<html" not in fragment.text
    boosted = person.page(f"/requests/{item['id']}", headers={"hx-request": "true", "hx-boosted": "true"})
    assert boosted.text.startswith("<!doctype html>")
    shown = re.search(r'\?v=([\w-]+)"', fragment.text)
    assert shown, "the live part names the state it shows"
    unchanged = person.http.get(f"/requests/{item['id']}?v={shown.group(1)}", headers={"hx-request": "true"})
    assert unchanged.status_code in (200, 204)  # 200 when routing moved it on meanwhile
    if unchanged.status_code == 204:
        assert unchanged.content == b""
    changed = person.http.get(f"/requests/{item['id']}?v=0-0", headers={"hx-request": "true"})
    assert changed.status_code == 200 and "secpool:announce" in changed.headers["hx-trigger"]


def test_signing_in_rotates_the_session_and_sign_out_everywhere_ends_them_all(
    system: Processes, people: Callable[..., Person]
) -> None:
    phone = people()
    phone.page("/sign-in")
    phone.http.cookies.set("secpool", "planted-by-an-attacker", domain="127.0.0.1")
    phone.sign_in(STAFF)
    assert phone.http.cookies.get("secpool") not in (None, "planted-by-an-attacker")
    laptop = people().sign_in(STAFF)
    assert laptop.page("/requests").status_code == 200
    response = phone.post("/sign-out-everywhere", {})
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"
    ended = laptop.http.get("/requests")
    assert ended.status_code in (302, 303) and ended.headers["location"].startswith("/sign-in")


def test_errors_are_pages_in_the_persons_language(system: Processes, people: Callable[..., Person]) -> None:
    person = people("en").sign_in("dirk@example.org")
    missing = person.http.get("/no-such-page")
    assert missing.status_code == 404 and "<html" in missing.text and "Not found" in missing.text
    other = person.http.get(f"/requests/{uuid.uuid4()}")
    assert other.status_code == 404 and "<html" in other.text
    not_lead = person.http.get("/lead/types")
    assert not_lead.status_code == 403 and "<html" in not_lead.text


def test_a_page_asked_for_before_signing_in_opens_after_signing_in(
    system: Processes, people: Callable[..., Person]
) -> None:
    person = people()
    response = person.http.get("/wall?before=x&y=1")
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/sign-in?next=%2Fwall%3Fbefore%3Dx%26y%3D1"
    form = {
        "email": STAFF,
        "password": organisation().password,
        "next": "/wall?before=x&y=1",
        "_csrf_token": person.token(response.headers["location"]),
    }
    signed_in = person.http.post("/sign-in", data=form)
    assert signed_in.headers["location"].startswith("/welcome?next=%2Fwall%3Fbefore")
    away = person.http.post("/sign-in", data={**form, "next": "//evil.example/"})
    assert "evil" not in away.headers.get("location", "")


def test_a_demo_deployment_lists_demo_accounts_that_sign_in_with_one_tap(
    system: Processes, people: Callable[..., Person]
) -> None:
    person = people("en")
    page = person.page("/sign-in").text
    assert "Demo accounts" in page and STAFF in page and MEMBER in page and LEAD in page
    form = {"email": MEMBER, "password": organisation().password, "next": "/", "_csrf_token": person.token_in(page)}
    signed_in = person.http.post("/sign-in", data=form)
    assert signed_in.status_code == 303
    assert person.http.get("/offers").status_code == 200
    assert "Demo-accounts" in people("nl").page("/sign-in").text
