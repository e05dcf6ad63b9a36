"""Files through the pages over plain HTTP (no JavaScript, the form's multipart fallback): a photo
sent with a new request reaches the member, the member's finished file reaches the requester,
a third person gets 404 for both; a 30 MB file and a renamed program are refused with a clear
message and nothing is stored."""

import re
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from services.demo import organisation
from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import MEMBER, STAFF, Person, start
from tests.e2e.test_pwa_requests import english, only_available
from tests.support import auth, caller

THIRD = "bram@example.org"
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 200
RESULT = b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 2000 + b"%%EOF\n"
people = test_pwa_pages.people  # the shared fixture


@pytest.fixture
def system(processes: Processes, tmp_path: Path) -> Iterator[Processes]:
    processes.env["SECPOOL_DATA_DIR"] = str(tmp_path / "data")
    start(processes)
    yield processes


def stored(system: Processes) -> list[Path]:
    folder = Path(system.env["SECPOOL_DATA_DIR"]) / "objects"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def send_form(
    person: Person, path: str, fields: dict[str, str], files: list[tuple[str, bytes]], *, token_from: str
) -> httpx.Response:
    """A multipart form as a browser without JavaScript sends it: the CSRF field first."""
    data = {"_csrf_token": person.token(token_from), **fields}
    return person.http.post(path, data=data, files=[("files", (name, body)) for name, body in files])


def new_request(person: Person, description: str, files: list[tuple[str, bytes]]) -> httpx.Response:
    fields = {
        "type_id": "letter",
        "description": description,
        "urgency": "normal",
        "idempotency_key": str(uuid.uuid4()),
    }
    return send_form(person, "/requests", fields, files, token_from="/requests/new")


def accept_offer(member: Person) -> None:
    deadline = time.monotonic() + 15
    while not (offer := re.search(r'action="(/offers/[0-9a-f-]+)/accept"', member.page("/offers").text)):
        assert time.monotonic() < deadline, "the offer never reached the member"
        time.sleep(0.05)
    assert member.post(f"{offer.group(1)}/accept", {}).headers["location"].startswith("/offers?notice=accepted")


def file_links(html: str, request_page: str) -> list[str]:
    return re.findall(rf'href="({request_page}/files/[0-9a-f-]+)"', html)


def test_a_photo_reaches_the_member_the_result_reaches_the_requester_and_nobody_else(
    system: Processes, people: Callable[..., Person]
) -> None:
    only_available(system, MEMBER)
    anna, sanne, bram = english(people(), STAFF), english(people(), MEMBER), english(people(), THIRD)
    sent = new_request(anna, "Brief opmaken, foto van de aantekeningen", [("IMG_2041.jpg", PHOTO)])
    assert sent.status_code == 303, sent.text[:500]
    request_page = sent.headers["location"].split("?")[0]
    accept_offer(sanne)

    shown = sanne.page(request_page).text
    assert "IMG_2041.jpg" in shown and "Hand back files" in shown
    [photo_link] = file_links(shown, request_page)
    photo = sanne.http.get(photo_link)
    assert photo.status_code == 200 and photo.content == PHOTO
    assert photo.headers["content-disposition"].startswith("attachment;")
    assert photo.headers["x-content-type-options"] == "nosniff" and photo.headers["content-type"] == "image/jpeg"

    handed = send_form(sanne, f"{request_page}/files/", {}, [("Brief huurders.pdf", RESULT)], token_from=request_page)
    assert handed.headers["location"] == f"{request_page}?notice=attached#files"
    assert sanne.post(f"{request_page}/status", {"status": "done"}, token_from=request_page).status_code == 303

    mine = anna.page(request_page).text
    assert "Brief huurders.pdf" in mine and "Sanne" in mine.split("Brief huurders.pdf")[1][:400]
    links = file_links(mine, request_page)
    result = anna.http.get(links[-1])
    assert (
        result.status_code == 200 and result.content == RESULT and result.headers["content-type"] == "application/pdf"
    )

    for link in (photo_link, links[-1]):
        assert bram.http.get(link).status_code == 404
    assert bram.http.get(request_page).status_code in (403, 404)


def test_a_30_mb_file_and_a_renamed_program_are_refused_and_nothing_is_stored(
    system: Processes, people: Callable[..., Person]
) -> None:
    anna = english(people(), STAFF)
    before = stored(system)
    too_big = new_request(anna, "Te groot", [("scan.pdf", b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024))])
    assert too_big.status_code == 422
    assert "A file is larger than 25 MB: nothing was sent." in too_big.text
    program = new_request(anna, "Factuur", [("factuur.pdf", b"MZ\x90\x00" + b"\x00" * 4096)])
    assert program.status_code == 422
    assert "A file is not a document, picture or text file (for example a program): nothing was sent." in program.text

    existing = anna.post(
        "/requests",
        {"type_id": "letter", "description": "Zonder bijlage", "idempotency_key": str(uuid.uuid4())},
        token_from="/requests/new",
    )
    request_page = existing.headers["location"].split("?")[0]
    later = send_form(
        anna, f"{request_page}/files/", {}, [("setup.docx", b"MZ" + b"\x00" * 100)], token_from=request_page
    )
    assert later.headers["location"] == f"{request_page}?notice=file_not_accepted#files"
    assert "nothing was stored" in anna.page(later.headers["location"]).text
    person = next(p for p in organisation().people if p.email == STAFF)
    who = caller(*person.roles, pools=tuple(person.pools), account_id=person.id)
    mine = httpx.get(f"{system.url('intake')}/v1/requests/", headers=auth(who, "intake")).json()
    assert [r["description"] for r in mine] == ["Zonder bijlage"]  # the refused forms sent no request
    assert stored(system) == before
