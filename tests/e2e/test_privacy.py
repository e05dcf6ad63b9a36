"""AVG/GDPR against the real processes: a person downloads their data (account, settings,
requests, thanks, sign-ins) as JSON gathered from every service, and erasing the account
anonymises them everywhere while the pool's insights stay exactly the same."""

import json
from collections.abc import Callable
from typing import Any

import httpx

from services.demo import organisation
from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import LEAD, STAFF, Person, submit
from tests.support import auth, caller, eventually

system = test_pwa_pages.system  # the shared fixtures
people = test_pwa_pages.people
POOL = "pool-secretariaat"


def as_person(email: str) -> Any:
    p = next(p for p in organisation().people if p.email == email)
    return caller(*p.roles, pools=tuple(p.pools), account_id=p.id)


def call(system: Processes, service: str, method: str, path: str, email: str, **kwargs: Any) -> Any:
    response = httpx.request(method, system.url(service) + path, headers=auth(as_person(email), service), **kwargs)
    assert response.status_code < 400, response.text
    return response.json() if response.content else None


def insights(system: Processes) -> Any:
    return call(system, "intake", "GET", f"/v1/pools/{POOL}/insights", LEAD, params={"weeks": 4})


async def test_my_data_download_holds_my_requests_thanks_and_settings_and_erasure_keeps_the_figures(
    system: Processes, people: Callable[..., Person]
) -> None:
    anna = people("en").sign_in(STAFF)
    sanne = as_person("sanne@example.org")
    request = submit(system, STAFF, "Letter to the tenants about the lift")
    kudos = call(
        system,
        "recognition",
        "POST",
        "/v1/kudos",
        STAFF,
        json={"message": "Thank you for the lift letter!", "recipient_ids": [sanne.account_id]},
    )
    assert anna.post("/settings/notifications", {"kinds": "kudos"}).status_code == 303

    download = anna.http.get("/settings/data/export")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    mine = json.loads(download.text)
    assert mine["account"]["email"] == STAFF
    assert mine["settings"]["muted_notifications"] == ["request"]
    assert [r["description"] for r in mine["requests"]["requests"]] == ["Letter to the tenants about the lift"]
    assert [k["message"] for k in mine["thanks"]["given"]] == ["Thank you for the lift letter!"]
    assert [e["action"] for e in mine["sign_in_history"]] == ["sign_in"]
    assert mine["pool_membership"]["member"] is None

    before = insights(system)
    assert anna.post("/settings/data/erase", {"confirm": "not-me@example.org"}).status_code == 400
    erased = anna.post("/settings/data/erase", {"confirm": STAFF})
    assert erased.status_code == 303 and "storage" in erased.headers["clear-site-data"]

    def lead_sees() -> tuple[str, str]:
        req = call(system, "intake", "GET", f"/v1/requests/{request['id']}", LEAD)
        wall = call(system, "recognition", "GET", "/v1/wall", LEAD)
        return req["description"], next(k["message"] for k in wall["items"] if k["id"] == kudos["id"])

    async def seen() -> tuple[str, str]:
        return lead_sees()

    assert await eventually(seen, lambda s: s == ("", "—"), within=20) == ("", "—")
    assert insights(system) == before
    again = people("en")
    form = {"email": STAFF, "password": organisation().password, "_csrf_token": again.token()}
    assert again.http.post("/sign-in", data=form).status_code == 401, "an erased account cannot sign in"
    admin = people("en").sign_in("admin@example.org")
    trail = admin.page(f"/admin/audit?person={as_person(STAFF).account_id}").text
    assert "account erased" in trail or "account gewist" in trail  # in the admin's own language
