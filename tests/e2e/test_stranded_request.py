"""Nothing stranded, across real processes: when every pool member declines a request it
reaches the lead's queue within seconds of the last decline, the lead's page shows it, the requester is told the
lead has it (and nobody's name is attached to a decline), and the "why" page only counts."""

import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from services.demo import organisation
from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import LEAD, MEMBER, STAFF, Person, submit
from tests.support import auth, caller

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system
POOL = "pool-secretariaat"
BOUND = 10.0  # seconds: generous on a busy 2-core machine


def as_person(email: str) -> Any:
    p = next(p for p in organisation().people if p.email == email)
    return caller(*p.roles, pools=tuple(p.pools), account_id=p.id)


def secretaries() -> list[str]:
    return [p.email for p in organisation().people if "secretary" in p.roles and POOL in p.pools]


def test_when_every_member_declines_the_request_reaches_the_leads_queue_within_seconds(
    system: Processes, people: Callable[..., Person], http: Callable[..., httpx.Client]
) -> None:
    routing = http(base_url=system.url("routing"))
    request_id = submit(system, STAFF, "Niemand wil dit")["id"]
    lead = auth(as_person(LEAD), "routing")
    declined: list[str] = []
    last_decline = time.monotonic()
    while True:
        # Whoever gets the offer declines it; the next eligible member gets it, until nobody is left.
        for email in secretaries():
            headers = auth(as_person(email), "routing")
            offers = routing.get("/v1/members/me/offers", headers=headers).json()
            for offer in [o for o in offers if o["request_id"] == request_id and o["status"] == "open"]:
                answer = routing.post(
                    f"/v1/offers/{offer['id']}/decline", json={"reason": "geen tijd"}, headers=headers
                )
                assert answer.status_code == 200, answer.text
                declined.append(email)
                last_decline = time.monotonic()
        queue = routing.get(f"/v1/pools/{POOL}/lead-queue", headers=lead).json()
        if any(q["request_id"] == request_id for q in queue):
            break
        assert time.monotonic() - last_decline < BOUND, f"not in the lead's queue within {BOUND} s: {queue}"
        time.sleep(0.05)
    assert len(declined) >= 2 and len(set(declined)) == len(declined)

    page = people().sign_in(LEAD).page("/lead/queue").text
    assert "Niemand wil dit" in page
    assert re.search(r"Waarom het hier staat: niemand in de pool kan het nu oppakken; \d+ sloeg(en)? het af", page)

    intake = http(base_url=system.url("intake"), headers=auth(as_person(STAFF), "intake"))
    deadline = time.monotonic() + BOUND
    while ((item := intake.get(f"/v1/requests/{request_id}").json()).get("expected") or {}).get("basis") != "lead":
        assert time.monotonic() < deadline, f"the requester was not told: {item}"
        time.sleep(0.05)
    assert item["expected"]["reason"] == "with_lead"
    timeline = intake.get(f"/v1/requests/{request_id}/timeline").json()
    declines = [e for e in timeline if e["kind"] == "offer_declined"]
    assert len(declines) == len(declined) and all(e["actor_id"] is None for e in declines)

    why = people().sign_in(MEMBER).page(f"/pool/requests/{request_id}").text
    assert "declined or let the offer pass" in why or "sloegen het af" in why
    for email in secretaries():
        member = next(p for p in organisation().people if p.email == email)
        assert member.id not in why
