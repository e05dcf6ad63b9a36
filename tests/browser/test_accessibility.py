"""WCAG 2.2 AA on every screen, in Dutch and in English: axe-core (vendored, tests only)
finds no violations, and no page scrolls sideways on a 360 px phone. Dutch runs in the light
colour scheme, English in the dark one.

The data is arranged through the services' APIs first, so lists, offers, timelines and the
wall have something in them (empty states are checked too: the lead queue stays empty).
"""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from tests.browser.conftest import PHONE, System, sign_in

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STAFF, MEMBER, LEAD = "anna@example.org", "sanne@example.org", "lead@example.org"


def arrange(system: System) -> dict[str, str]:
    system.only_available(MEMBER)
    body = {
        "type_id": "letter",
        "description": "Brief aan de huurders <b>over</b> de lift",
        "idempotency_key": str(uuid.uuid4()),
        "urgency": "high",
    }
    request = system.call("intake", "POST", "/v1/requests/", STAFF, json=body)
    kudos = system.call(
        "recognition",
        "POST",
        "/v1/kudos",
        STAFF,
        json={"message": "Dank voor het snelle regelen!", "recipient_ids": [system.person(MEMBER).account_id]},
    )
    system.call("recognition", "POST", f"/v1/kudos/{kudos['id']}/reports", MEMBER, json={"reason": "test"})
    system.call(
        "routing",
        "POST",
        "/v1/skill-proposals",
        "emma@example.org",
        json={"member_id": system.person(MEMBER).account_id, "skill": "events", "level": 2, "why": "kerst"},
    )
    return {"request": request["id"]}


async def violations(page: Page) -> list[dict[str, Any]]:
    # Let htmx finish what it is doing (a live part refreshes itself once the SSE stream opens).
    # Polled with evaluate: wait_for_function would need eval, which the page's CSP forbids.
    busy = "!!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    for _ in range(100):
        if not await page.evaluate(busy):
            break
        await page.wait_for_timeout(50)
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE)
    result = await page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


async def audit(browser: Browser, system: System, lang: str, who: str | None, paths: list[str]) -> dict[str, Any]:
    scheme = "light" if lang == "nl" else "dark"
    # Reduced motion: a live part fading in is mid-animation (half transparent) for axe.
    context = await browser.new_context(
        color_scheme=scheme,
        locale=f"{lang}-NL",
        reduced_motion="reduce",
        **{**PHONE, "viewport": {"width": 360, "height": 740}},
    )
    host = system.base.split("//")[1].split(":")[0]
    await context.add_cookies([{"name": "secpool_lang", "value": lang, "domain": host, "path": "/"}])
    page = await context.new_page()
    found: dict[str, Any] = {}
    if who is not None:
        await sign_in(page, system.base, who, welcome=False)
    for path in paths:
        await page.goto(system.base + path)
        assert await page.evaluate("document.documentElement.lang") == lang, path
        if problems := await violations(page):
            found[f"{lang} {who} {path}"] = problems
        # Reflow (WCAG 1.4.10): nothing pushes a 360 px phone page sideways.
        if await page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            found[f"{lang} {who} {path}"] = "scrolls sideways"
    if who == STAFF:  # a form with errors: the messages must be tied to their fields
        await page.goto(f"{system.base}/requests/new")
        await page.evaluate("document.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required'))")
        await page.click("form[action='/requests'] button[type=submit]")
        await page.wait_for_selector(".field-error")
        if problems := await violations(page):
            found[f"{lang} {who} /requests/new with errors"] = problems
    await context.close()
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_every_screen_meets_wcag_2_2_aa(system, browser, lang):
    ids = arrange(system)
    screens = {
        None: ["/sign-in", "/offline"],
        STAFF: [
            "/welcome",
            "/requests",
            "/requests/new",
            f"/requests/{ids['request']}",
            "/wall",
            "/wall/new",
            "/wall/mine",
            "/wall/digest",
            "/settings",
            "/no-such-page",
        ],
        MEMBER: [
            "/offers",
            "/pool",
            "/pool/policy",
            "/pool/coverage",
            f"/pool/growth/{system.person(MEMBER).account_id}",
            "/pool/requests",
            f"/pool/requests/{ids['request']}",
            f"/requests/{ids['request']}",
        ],
        LEAD: [
            "/lead/queue",
            "/lead/insights",
            "/lead/types",
            "/lead/types/letter",
            "/lead/types/new",
            "/wall/moderation",
        ],
    }
    found: dict[str, Any] = {}
    for who, paths in screens.items():
        found |= await audit(browser, system, lang, who, paths)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
