"""Offline tolerance: a request submitted without a connection is kept by the service worker
(keyed by the form's idempotency key) and sent once the phone is back online — exactly once,
also when the first tries to send it fail."""

import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page, Route, async_playwright, expect

from tests.browser.conftest import ARGS, PHONE, shoot, sign_in
from tests.support import eventually

STAFF = "bram@example.org"


@pytest.fixture
async def watched_phone(chromium: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BrowserContext]:
    """A phone whose service worker's own requests pass through the test's routes. Playwright
    does that only behind an experimental switch its driver reads when it starts: hence a
    driver of its own, so the other tests see the browser as it is by default."""
    monkeypatch.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
    async with async_playwright() as p:
        context = await p.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="secpool-chromium-"),
            executable_path=str(chromium),
            args=ARGS,
            headless=True,
            **PHONE,
        )
        try:
            yield context
        finally:
            await context.close()


async def queue_offline(system, context: BrowserContext, words: str) -> Page:
    """Signs in, lets the service worker take control, and submits a request while offline."""
    page = await context.new_page()
    await sign_in(page, system.base, STAFF)
    await page.goto(f"{system.base}/requests/new")
    await page.evaluate("navigator.serviceWorker.ready")
    await page.reload()  # the worker controls the page from its second load on
    assert await page.evaluate("!!navigator.serviceWorker.controller"), "no service worker in control"

    await page.check("input[name=type_id][value=expense-claim]")
    await page.fill("#description", words)
    await context.set_offline(True)
    await page.click("form[action='/requests'] button[type=submit]")
    await expect(page.locator("main .banner")).to_contain_text("bewaard")  # the worker's own bilingual page
    return page


def sent_with(system, words: str):
    async def mine() -> list[dict]:
        return [r for r in system.call("intake", "GET", "/v1/requests/", STAFF) if r["description"] == words]

    return mine


async def test_a_request_sent_offline_arrives_exactly_once_when_back_online(system, phone):
    context = await phone()
    words = f"Offline gevraagd: declaratie van de trein ({uuid.uuid4().hex[:8]})"
    page = await queue_offline(system, context, words)
    await shoot(page, "offline-01-queued")
    mine = sent_with(system, words)
    assert await mine() == []

    # Back online, the worker's page (it loads app.js) has the kept request sent and says so.
    # The browser's "online" and the worker's replay are two hops through a busy machine: the
    # bound is generous (seen at 15 s beside a CPU hog), what is checked is that it arrives once.
    await context.set_offline(False)
    await expect(page.locator("#live-status .banner--ok")).to_be_visible(timeout=40_000)
    await shoot(page, "offline-02-sent-when-online")
    await eventually(mine, lambda found: len(found) == 1, within=40)
    # Sending the same form again (a reload re-posts it) must not create a second one.
    await page.reload()
    await page.goto(f"{system.base}/requests")
    await expect(page.locator("#my-requests")).to_contain_text(words[:30])
    assert len(await mine()) == 1
    await shoot(page, "offline-03-sent-once")


async def test_a_replay_that_cannot_reach_the_server_is_tried_again_within_seconds(system, watched_phone):
    words = f"Offline gevraagd: verslag uitwerken ({uuid.uuid4().hex[:8]})"
    page = await queue_offline(system, watched_phone, words)
    mine = sent_with(system, words)

    # The first two replays find no network (as when the page hears "online" before the
    # worker can reach the server); Chromium's own sync would try again only minutes later.
    refused: list[str] = []

    async def first_replays_fail(route: Route) -> None:
        if route.request.method == "POST" and len(refused) < 2:
            refused.append(route.request.url)
            await route.abort("internetdisconnected")
        else:
            await route.continue_()

    await watched_phone.route("**/requests", first_replays_fail)
    await watched_phone.set_offline(False)
    await expect(page.locator("#live-status .banner--ok")).to_be_visible(timeout=40_000)
    assert len(refused) == 2, refused
    await eventually(mine, lambda found: len(found) == 1, within=40)
