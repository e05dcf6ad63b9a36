"""News by e-mail over the real processes: a staff member without push hears of the member's
question by e-mail (found in the mail folder), in her language, with a link straight to the
request that works; the one-click unsubscribe (RFC 8058 headers) stops that kind."""

import email
import email.policy
import re
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_files import accept_offer
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person, start
from tests.e2e.test_pwa_requests import only_available

people = test_pwa_pages.people  # the shared fixture


@pytest.fixture
def system(processes: Processes, tmp_path: Path) -> Iterator[Processes]:
    processes.env["SECPOOL_DATA_DIR"] = str(tmp_path / "data")
    processes.env["SECPOOL_PUBLIC_URL"] = processes.url("pwa")
    start(processes)
    yield processes


def mails_to(system: Processes, address: str) -> list[email.message.EmailMessage]:
    folder = Path(system.env["SECPOOL_DATA_DIR"]) / "mail"
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in str(message["To"]):
            found.append(message)
    return found  # type: ignore[return-value]


def wait_for_mail(system: Processes, address: str, count: int) -> list[email.message.EmailMessage]:
    deadline = time.monotonic() + 20
    while len(found := mails_to(system, address)) < count:
        assert time.monotonic() < deadline, f"no mail for {address} in the mail folder"
        time.sleep(0.1)
    return found


def test_a_question_reaches_a_staff_member_without_push_by_email_with_a_working_link(
    system: Processes, people: Callable[..., Person]
) -> None:
    only_available(system, MEMBER)
    anna, sanne = people("nl").sign_in(STAFF), people("en").sign_in(MEMBER)
    form = {"type_id": "letter", "description": "Brief aan de huurders", "idempotency_key": str(uuid.uuid4())}
    request_page = anna.post("/requests", form, token_from="/requests/new").headers["location"].split("?")[0]
    accept_offer(sanne)
    asked = sanne.post(
        f"{request_page}/comments", {"body": "Welk blok bedoel je?", "question": "1"}, token_from=request_page
    )
    assert asked.status_code == 303

    [question] = wait_for_mail(system, STAFF, 1)
    assert str(question["Subject"]) == "Een vraag over je verzoek"  # Anna reads Dutch
    body = question.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"(http://\S+/requests/[0-9a-f-]{36})", body)
    assert link and link.group(1) == system.url("pwa") + request_page
    assert "Welk blok" not in body  # the request's conversation stays in the app
    opened = anna.http.get(link.group(1).removeprefix(system.url("pwa")))
    assert opened.status_code == 200 and "Welk blok bedoel je?" in opened.text
    assert mails_to(system, "sanne@example.org") == []  # the offer: push by default, not e-mail

    unsubscribe = re.fullmatch(r"<(http://\S+/unsubscribe/\S+)>", str(question["List-Unsubscribe"]))
    assert unsubscribe and str(question["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    clicked = httpx.post(
        unsubscribe.group(1),
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert clicked.status_code == 200
    settings = anna.page("/settings").text
    assert re.search(r'name="channel-question" value="none"\s+checked', settings)
    assert re.search(r'name="channel-done" value="email"\s+checked', settings)  # only that kind stopped
    forged = unsubscribe.group(1)[:-3] + "xyz"
    assert httpx.post(forged, content=b"List-Unsubscribe=One-Click").status_code == 404
