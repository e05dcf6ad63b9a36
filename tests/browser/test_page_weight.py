"""Page weight on a phone: a staff member's first visit of their home page (empty cache,
already signed in) transfers at most 60 KB, everything the page and its service worker fetch
included; on a repeat visit not one static file goes to the network (the worker serves them
from its cache, and their hashed names are never stale)."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Error, Request

from services.demo import organisation
from tests.support import eventually

STAFF = "dirk@example.org"
FIRST_VISIT_LIMIT = 60 * 1024
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass
class Traffic:
    """Every request the phone made (pages and its service worker), with what crossed the wire."""

    worker_body: int  # Chromium reports the worker script's own fetch without its body
    finished: list[tuple[Request, int]] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("requestfinished", self.record)

    async def record(self, request: Request) -> None:
        try:
            sizes = await request.sizes()
            response = await request.response()
        except Error as exc:
            # Still in flight when its page closed (the first visit's page closes once it has
            # been measured): nothing of the visit being measured is lost.
            if "has been closed" in exc.message:
                return
            raise
        # Answered by the service worker: nothing went over the network for it.
        if response is not None and response.from_service_worker and request.service_worker is None:
            self.finished.append((request, 0))
            return
        # Chromium's encoded length, headers included; 0 for an answer from the HTTP cache
        # (Playwright reports its body as minus its headers).
        size = max(sizes["responseHeadersSize"] + sizes["responseBodySize"], 0)
        if urlsplit(request.url).path == "/sw.js" and response is not None and response.status == 200:
            size += self.worker_body if sizes["responseBodySize"] == 0 else 0
        self.finished.append((request, size))

    def network(self) -> list[tuple[str, int]]:
        return [(urlsplit(r.url).path, size) for r, size in self.finished if size > 0]

    def bytes(self) -> int:
        return sum(size for _, size in self.network())

    def static_fetches(self) -> list[str]:
        return [path for path, _ in self.network() if path.startswith("/static/")]

    def static_from_worker(self) -> list[str]:
        paths = [urlsplit(r.url).path for r, size in self.finished if size == 0]
        return [path for path in paths if path.startswith("/static/")]

    def report(self) -> str:
        return "\n".join(f"{size:>7} {path}" for path, size in self.network()) + f"\n{self.bytes():>7} in all"


async def worker_body(context: BrowserContext, base: str) -> int:
    """The service worker as Chromium gets it over http (gzip: it asks for brotli only over https)."""
    answer = await context.request.get(f"{base}/sw.js", headers={"accept-encoding": "gzip, deflate"})
    assert answer.headers["content-encoding"] == "gzip"
    return int(answer.headers["content-length"])


async def sign_in_without_a_page(context: BrowserContext, base: str) -> None:
    """Sign in over the context's own HTTP client: its cookies, none of the page's files."""
    form = await context.request.get(f"{base}/sign-in")
    token = CSRF_FIELD.search(await form.text())
    assert token, "the sign-in page has no CSRF field"
    answer = await context.request.post(
        f"{base}/sign-in",
        form={"email": STAFF, "password": organisation().password, "_csrf_token": token.group(1)},
        max_redirects=0,
    )
    assert answer.status == 303, await answer.text()
    await context.add_cookies([{"name": "secpool_welcomed", "value": "1", "url": base}])


async def test_a_first_visit_is_light_and_a_repeat_visit_fetches_no_static_file(system, phone):
    context = await phone()
    await sign_in_without_a_page(context, system.base)

    worker = await worker_body(context, system.base)
    first = Traffic(worker)
    first.watch(context)
    page = await context.new_page()
    await page.goto(f"{system.base}/")
    assert urlsplit(page.url).path == "/requests"
    # Ready = installed (its precache done) and active.
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # clients.claim() on activation puts the worker in control of this page.
    await eventually(lambda: page.evaluate("!!navigator.serviceWorker.controller"), bool, within=15)
    await eventually(lambda: _paths(first), lambda seen: {"/sw.js", "/offline"} <= seen, within=10)
    print("first visit\n" + first.report())
    assert first.bytes() <= FIRST_VISIT_LIMIT, first.report()
    context.remove_listener("requestfinished", first.record)
    await page.close()

    repeat = Traffic(worker)
    repeat.watch(context)
    page = await context.new_page()
    await page.goto(f"{system.base}/")  # waits for the load event: every file the page names
    await page.locator("#my-requests").wait_for()
    # Not vacuous: the page did load its files, from the worker's cache.
    everyday = {"/static/app.css", "/static/app.js", "/static/vendor/htmx.min.js"}
    await eventually(lambda: _unhashed_from_worker(repeat), lambda seen: everyday <= seen, within=10)
    print("repeat visit\n" + repeat.report())
    assert repeat.static_fetches() == [], repeat.report()


async def _paths(traffic: Traffic) -> set[str]:
    return {urlsplit(r.url).path for r, _ in traffic.finished}


async def _unhashed_from_worker(traffic: Traffic) -> set[str]:
    return {re.sub(r"\.[0-9a-f]{8}(\.\w+)$", r"\1", path) for path in traffic.static_from_worker()}
