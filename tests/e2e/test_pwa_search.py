"""Search through the pages (no JavaScript): a Dutch word from a request's conversation finds it
on the Dutch and on the English page, for its requester and its member; not for anyone else."""

import uuid
from collections.abc import Callable

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_files import THIRD, accept_offer
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person
from tests.e2e.test_pwa_requests import only_available

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system


def in_language(person: Person, lang: str, email: str) -> Person:
    person.http.cookies.set("secpool_lang", lang, domain="127.0.0.1")
    return person.sign_in(email)


def test_a_dutch_word_in_the_conversation_is_found_on_dutch_and_english_pages(
    system: Processes, people: Callable[..., Person]
) -> None:
    only_available(system, MEMBER)
    anna, sanne = in_language(people(), "nl", STAFF), in_language(people(), "en", MEMBER)
    sent = anna.post(
        "/requests",
        {
            "type_id": "letter",
            "description": "Brief over de lift",
            "idempotency_key": str(uuid.uuid4()),
        },
        token_from="/requests/new",
    )
    request_page = sent.headers["location"].split("?")[0]
    accept_offer(sanne)
    asked = sanne.post(
        f"{request_page}/comments",
        {"body": "Moeten de huurders van blok B hem ook krijgen?", "question": "1"},
        token_from=request_page,
    )
    assert asked.status_code == 303

    for person, words in (
        (anna, ("Verzoeken zoeken", "In het gesprek:")),
        (sanne, ("Search requests", "In the conversation:")),
    ):
        found = person.page("/search", params={"q": "huurders"}).text
        assert all(w in found for w in words), words
        assert f'href="{request_page}"' in found and "«huurders»" in found
        assert "Brief over de lift" in found
    bram = in_language(people(), "en", THIRD)
    assert f'href="{request_page}"' not in bram.page("/search", params={"q": "huurders"}).text
    filtered = sanne.page("/search", params={"q": "huurders", "which": "closed"}).text
    assert f'href="{request_page}"' not in filtered and "Nothing found" in filtered
