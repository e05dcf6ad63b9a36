"""Browser fixtures: the whole system as real processes (intake, routing, recognition, pwa with
demo data on this test's PostgreSQL and NATS) and Debian's Chromium driven by Playwright.

Chromium must be at /usr/bin/chromium: if it is missing the tests fail, they never skip.
The pwa runs with its real cookie setting (`__Host-` + Secure): Chromium accepts Secure
cookies on http://127.0.0.1.
"""

import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright

from services.cli.children import http_ok, wait_until
from services.cli.up import service_child
from services.demo import organisation
from services.platform.tokens import Caller
from tests.e2e.conftest import Processes
from tests.support import auth

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
SCREENSHOTS = Path(__file__).parent / "screenshots"
POOL = "pool-secretariaat"

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/browser needs Chromium: `-m "not browser"` leaves it out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


class System(Processes):
    """The running system, started in parallel (each process still has to say it is ready)."""

    def start_all(self, **pwa_env: str) -> None:
        for name in ("intake", "routing", "recognition", "pwa"):
            extra = pwa_env if name == "pwa" else {}
            self.children[name] = service_child(name, self.ports[name], self.env_for(name, **extra), self.logs).start()
        for name, child in self.children.items():

            def ready(name: str = name, child: Any = child) -> bool:
                assert child.alive(), f"{name} died at start-up:\n{child.tail(20)}"
                return http_ok(f"{self.url(name)}/ready")

            wait_until(ready, 60, name)

    @property
    def base(self) -> str:
        return self.url("pwa")

    def person(self, email: str) -> Caller:
        p = next(p for p in organisation().people if p.email == email)
        return Caller(account_id=p.id, roles=tuple(p.roles), pools=tuple(p.pools), name=p.name)

    def call(self, service: str, method: str, path: str, who: str, **kwargs: Any) -> Any:
        """A service API call as a demo person (arranging data, checking outcomes)."""
        response = httpx.request(method, self.url(service) + path, headers=auth(self.person(who), service), **kwargs)
        assert response.status_code < 400, response.text
        return response.json() if response.content else None

    def only_available(self, *emails: str) -> None:
        """Every other pool member goes away, so routing offers new work to these people."""
        for p in organisation().people:
            if "secretary" in p.roles:
                presence = "available" if p.email in emails else "away"
                self.call("routing", "PUT", "/v1/members/me/presence", p.email, json={"presence": presence})


@pytest.fixture
def system(database_url: str, nats_url: str, tmp_path: Path) -> Iterator[System]:
    running = System(database_url, nats_url, tmp_path / "logs")
    running.env["SECPOOL_DATA_DIR"] = str(tmp_path / "data")
    try:
        running.start_all(SECPOOL_COOKIE_SECURE="1")
        yield running
    finally:
        running.stop_all()


@pytest.fixture
def chromium() -> Path:
    assert CHROMIUM.exists(), (
        f"Chromium is missing at {CHROMIUM}: apt-get install chromium (never `playwright install`)"
    )
    return CHROMIUM


@pytest.fixture
async def playwright(chromium: Path) -> AsyncIterator[Playwright]:
    async with async_playwright() as p:
        yield p


@pytest.fixture
async def browser(playwright: Playwright) -> AsyncIterator[Browser]:
    launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
    try:
        yield launched
    finally:
        await launched.close()


@pytest.fixture
async def phone(playwright: Playwright) -> AsyncIterator[Any]:
    """Opens persistent phone contexts (a real profile: installable, service worker, not incognito)."""
    opened: list[BrowserContext] = []

    async def open_phone(**options: Any) -> BrowserContext:
        context = await playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="secpool-chromium-"),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            **{**PHONE, **options},
        )
        opened.append(context)
        return context

    try:
        yield open_phone
    finally:
        for context in opened:
            await context.close()


async def saved(page: Page, path: str) -> None:
    """Wait until the page says a form was handled (its notice) on an address whose path
    matches `path` (a regular expression). Not the `?notice=` address itself: app.js drops
    it at once, so waiting for that address races with the page."""
    await page.locator(".banner--ok[role=status]").first.wait_for(timeout=30_000)
    assert re.fullmatch(path, urlsplit(page.url).path), page.url


async def sign_in(page: Page, base: str, email: str, *, welcome: bool = True) -> None:
    """Sign in with the demo password; pass the first-run steps."""
    await page.goto(f"{base}/sign-in")
    await page.fill("#email", email)
    await page.fill("#password", organisation().password)
    await page.click("form[action='/sign-in'] button[type=submit]")
    await page.wait_for_url(lambda url: "/sign-in" not in url)
    if welcome and "/welcome" in page.url:
        await page.click("form[action='/welcome'] button[type=submit]")
        await page.wait_for_url(lambda url: "/welcome" not in url)


async def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
