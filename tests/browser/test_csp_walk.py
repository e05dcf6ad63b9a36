"""Headless Chromium walks every page each role can reach (following the links it finds, one
page of each shape), and the htmx interactions on them: boosted navigation by the tab bar, the
live parts that fetch themselves when the event stream opens, a boosted form, a reaction sent
with hx-post. Not one Content-Security-Policy violation may be reported, by the
`securitypolicyviolation` event or on the console."""

import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page

from tests.browser.conftest import POOL, System, sign_in

WATCH = """
window.__csp = window.__csp || [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""
# Not pages: downloads, streams, forms' targets, the identity provider (not configured here).
SKIP = re.compile(r"^/(static/|events|sw\.js|manifest|settings/data/export|sign-out|sign-in/oidc)|\.ics$|/files/")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ROLES = ["anna@example.org", "sanne@example.org", "lead@example.org", "admin@example.org"]


class Watched:
    """A browser context whose pages report CSP violations (DOM event and console)."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context, self.page, self.console = context, page, []
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    async def violations(self) -> list[str]:
        return [*await self.page.evaluate("window.__csp || []"), *self.console]


async def watched(browser: Browser) -> Watched:
    context = await browser.new_context(viewport={"width": 360, "height": 780})
    await context.add_init_script(WATCH)
    return Watched(context, await context.new_page())


def shape(path: str) -> str:
    """Pages that differ only by an id or a query are one page to walk."""
    return UUID.sub("{id}", path.split("?")[0].split("#")[0])


async def walk(w: Watched, base: str, start: str, budget: int = 25) -> list[str]:
    seen_shapes: set[str] = set()
    todo, walked = [start], []
    while todo and len(walked) < budget:
        path = todo.pop(0)
        if SKIP.search(path) or shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        response = await w.page.goto(base + path, wait_until="load")
        assert response is not None and response.status < 500, path
        await w.page.wait_for_timeout(250)  # live parts fetch themselves when the event stream opens
        walked.append(path)
        hrefs = await w.page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
        todo += [h.split("#")[0] for h in hrefs if h.split("#")[0] and shape(h) not in seen_shapes]
        assert await w.violations() == [], (path, await w.violations())
    return walked


async def htmx_interactions(w: Watched, base: str) -> None:
    page = w.page
    await page.goto(base + "/settings")
    for tab in await page.locator("nav.tabbar a").all():  # boosted: htmx swaps the body
        href = await tab.get_attribute("href") or "/"
        await tab.click()
        await page.wait_for_url(lambda url, href=href: urlsplit(url).path.startswith(href))  # /lead → /lead/queue
        await page.wait_for_timeout(200)
    await page.goto(base + "/settings")
    async with page.expect_response(lambda r: r.url.endswith("/settings/notifications"), timeout=60_000):
        await page.click("form[action='/settings/notifications'] button[type=submit]")  # a boosted form
    # The page says it was saved; app.js then drops ?notice= from the address at once.
    await page.locator(".banner--ok[role=status]").wait_for(timeout=60_000)
    await page.goto(base + "/wall")
    reaction = page.locator("form[hx-post$='/reaction'] button").first
    if await reaction.count():
        await reaction.click()  # hx-post, the kudos swaps itself
        await page.wait_for_timeout(500)


async def test_every_page_and_htmx_interaction_runs_without_a_csp_violation(system: System, browser: Browser):
    request = system.call(
        "intake",
        "POST",
        "/v1/requests/",
        "anna@example.org",
        json={"type_id": "letter", "description": "Brief over de lift", "idempotency_key": str(uuid.uuid4())},
    )
    sanne = system.person("sanne@example.org").account_id
    system.call(
        "recognition",
        "POST",
        "/v1/kudos",
        "anna@example.org",
        json={"message": "Dank voor de brief!", "recipient_ids": [sanne]},
    )
    assert request["pool_id"] == POOL

    anonymous = await watched(browser)
    assert "/sign-in" in await walk(anonymous, system.base, "/sign-in")
    for extra in ("/offline", "/no-such-page"):
        await anonymous.page.goto(system.base + extra)
    assert await anonymous.violations() == []
    # The watch itself works: an image from elsewhere is blocked and reported.
    await anonymous.page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=\"https://blocked.invalid/x.png\">')"
    )
    for _ in range(100):  # (wait_for_function would need eval, which this CSP forbids)
        if await anonymous.violations():
            break
        await anonymous.page.wait_for_timeout(100)
    assert "img-src" in " ".join(await anonymous.violations())
    await anonymous.context.close()

    walked: dict[str, list[str]] = {}
    for email in ROLES:
        w = await watched(browser)
        await sign_in(w.page, system.base, email)
        walked[email] = await walk(w, system.base, "/")
        await htmx_interactions(w, system.base)
        assert await w.violations() == [], (email, await w.violations())
        await w.context.close()
    everything = {shape(p) for paths in walked.values() for p in paths}
    for page in (
        "/requests/{id}",
        "/settings/sign-in",
        "/settings/sign-in/totp",
        "/settings/data",
        "/wall",
        "/offers",
        "/pool",
        "/lead/queue",
        "/admin/audit",
        "/admin/sign-in",
    ):
        assert page in everything, f"the walk never reached {page}: {sorted(everything)}"
