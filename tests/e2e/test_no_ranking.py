"""No ranking of people, no blame: walking every decision API and page about a request that one
member declined, nothing shows a score (or cost, or rank) per person, and nothing names the
member who declined — to the requester, the pool or the lead."""

import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from services.demo import organisation
from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import LEAD, STAFF, Person, submit
from tests.support import auth, caller

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system
POOL = "pool-secretariaat"
RANKING = re.compile(r'"(score|scores|cost|rank|ranking|candidates|parts)"')


def who(email: str) -> Any:
    p = next(p for p in organisation().people if p.email == email)
    return caller(*p.roles, pools=tuple(p.pools), account_id=p.id)


def email_of(account_id: str) -> str:
    return next(p.email for p in organisation().people if p.id == account_id)


def name_of(account_id: str) -> str:
    return next(p.name for p in organisation().people if p.id == account_id)


def offer_for(routing: httpx.Client, request_id: str, not_to: set[str]) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for p in organisation().people:
            if "secretary" in p.roles and p.id not in not_to:
                offers = routing.get("/v1/members/me/offers", headers=auth(who(p.email), "routing")).json()
                found = [o for o in offers if o["request_id"] == request_id and o["status"] == "open"]
                if found:
                    return dict(found[0])
        time.sleep(0.1)
    raise AssertionError("no offer within 20 s")


def test_no_decision_api_or_page_shows_a_score_per_person_or_who_declined(
    system: Processes, people: Callable[..., Person], http: Callable[..., httpx.Client]
) -> None:
    routing = http(base_url=system.url("routing"))
    intake = http(base_url=system.url("intake"))
    request_id = submit(system, STAFF, "Brief aan de huurders")["id"]
    first = offer_for(routing, request_id, set())
    decliner = first["member_id"]
    declined = routing.post(
        f"/v1/offers/{first['id']}/decline",
        json={"reason": "vandaag vol"},
        headers=auth(who(email_of(decliner)), "routing"),
    )
    assert declined.status_code == 200
    second = offer_for(routing, request_id, {decliner})
    member = second["member_id"]

    apis = {
        "routing": [
            (f"/v1/requests/{request_id}/decisions", member),
            (f"/v1/requests/{request_id}/decisions", LEAD),
            (f"/v1/pools/{POOL}/queue", member),
            (f"/v1/pools/{POOL}/lead-queue", LEAD),
            ("/v1/members/me/offers", member),
            (f"/v1/pools/{POOL}/coverage", LEAD),
            (f"/v1/pools/{POOL}/policy", member),
        ],
        "intake": [
            (f"/v1/requests/{request_id}", STAFF),
            (f"/v1/requests/{request_id}/timeline", STAFF),
            (f"/v1/requests/{request_id}", member),
            (f"/v1/requests/{request_id}/timeline", member),
            (f"/v1/requests/{request_id}/timeline", LEAD),
            (f"/v1/pools/{POOL}/requests", LEAD),
        ],
    }
    for service, calls in apis.items():
        client = routing if service == "routing" else intake
        for path, as_whom in calls:
            email = as_whom if "@" in as_whom else email_of(as_whom)
            response = client.get(path, headers=auth(who(email), service))
            assert response.status_code == 200, f"{path}: {response.text}"
            assert not RANKING.search(response.text), f"{service} {path} ranks people: {response.text[:300]}"
            assert decliner not in response.text, f"{service} {path} names who declined"

    pages = {
        email_of(member): [f"/pool/requests/{request_id}", f"/requests/{request_id}", "/pool/requests", "/offers"],
        LEAD: [f"/pool/requests/{request_id}", f"/requests/{request_id}", "/lead/queue", "/pool/coverage"],
        STAFF: [f"/requests/{request_id}", "/requests"],
    }
    for email, paths in pages.items():
        person = people().sign_in(email)
        for path in paths:
            html = person.page(path).text
            assert name_of(decliner) not in html and decliner not in html, f"{email} {path} names who declined"
            assert not re.search(r"\bscore\b|\bScore\b", html), f"{email} {path} shows a score"
    why = people().sign_in(LEAD).page(f"/pool/requests/{request_id}").text
    assert name_of(member) in why  # the chosen member and their reasons are named; the rest only counted
    assert "1 sloeg het af of liet het aanbod verlopen" in why
