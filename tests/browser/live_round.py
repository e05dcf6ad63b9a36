"""One round of every live-update kind between open pages, timed in the receiving page:
a request offered, accepted, asked about, answered, done (with the invitation to thank), the
thanks on the wall and a reaction to it. Shared by tests/browser/test_live_updates.py (each kind
arrives, without reload) and benchmarks/live_bench.py (how fast).
"""

import asyncio
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

KINDS = ("offer", "accept", "question", "answer", "done", "thanks prompt", "wall post", "reaction")

# Set in every document before its scripts run: whether this page's live stream is open, and
# how many htmx requests are on their way (the refresh a newly opened stream asks for must be
# back before anything is timed: its older answer would replace a newer one).
WATCH_SSE = """
window.__inflight = 0;
document.addEventListener('htmx:sseOpen', () => { window.__sseOpen = true; });
document.addEventListener('htmx:beforeSend', () => { window.__inflight += 1; });
document.addEventListener('htmx:afterRequest', () => { window.__inflight = Math.max(0, window.__inflight - 1); });
"""

# In the receiving page, every 20 ms: the time (ms since the epoch) once `selector` is there
# and its text has `text`, else null. `__waiting` is set in the document before the action:
# a reloaded page has lost it, so an update that only a reload shows never counts.
ARRIVED = """([selector, text]) => {
  const el = window.__waiting && document.querySelector(selector);
  return el && el.textContent.includes(text) ? Date.now() : null;
}"""
# The wall's newest kudos is no longer the one it was.
NEW_FIRST = """([selector, before]) => {
  const el = window.__waiting && document.querySelector(selector);
  return el && el.id !== before ? Date.now() : null;
}"""

# What the receiving page shows instead, for the failure message.
SHOWN = "([s]) => document.querySelector(s)?.outerHTML ?? ('(none) in: ' + document.querySelector('main')?.innerHTML)"


@dataclass
class Pages:
    """The open pages: the requester, the pool member, and a colleague with the wall open."""

    requester: Page
    member: Page
    colleague: Page
    base: str


async def watch(page: Page) -> None:
    await page.add_init_script(WATCH_SSE)


async def live(page: Page, timeout_ms: float) -> None:
    """Wait until this page's live stream is open (so nothing it should hear is missed) and
    what it asked for on opening has come back."""
    await page.wait_for_function(
        "() => window.__sseOpen === true && window.__inflight === 0", polling=20, timeout=timeout_ms
    )


async def timed(action: Awaitable[Any], receiver: Page, condition: str, arg: list[str], timeout_ms: float) -> float:
    """Milliseconds from the moment `action` starts until `condition` holds in `receiver`,
    in the same document (no reload)."""
    await receiver.evaluate("window.__waiting = true")
    waiting = asyncio.create_task(receiver.wait_for_function(condition, arg=arg, polling=20, timeout=timeout_ms))
    await asyncio.sleep(0)  # the wait is installed before the action starts
    started = time.time() * 1000
    await action
    try:
        arrived = await (await waiting).json_value()
    except PlaywrightTimeoutError as timeout:
        shown = await receiver.evaluate(SHOWN, arg)
        raise AssertionError(
            f"not arrived at {receiver.url} within {timeout_ms} ms: {arg}; shows {shown[:3000]}"
        ) from timeout
    return max(0.0, float(arrived) - started)


async def one_round(pages: Pages, timeout_ms: float) -> dict[str, float]:
    """Every kind once, in the order a request lives; returns milliseconds per kind."""
    staff, member, wall, base = pages.requester, pages.member, pages.colleague, pages.base
    words = f"Live-update round {uuid.uuid4().hex[:8]}"
    took: dict[str, float] = {}

    await member.goto(f"{base}/offers")
    await wall.goto(f"{base}/wall")
    await staff.goto(f"{base}/requests/new")
    await staff.check("input[name=type_id][value=letter]")
    await staff.fill("#description", words)
    for page in (member, wall, staff):
        await live(page, timeout_ms)
    took["offer"] = await timed(
        staff.click("form[action='/requests'] button[type=submit]"),
        member,
        ARRIVED,
        ["#offers-live", words],
        timeout_ms,
    )
    await staff.wait_for_url("**/requests/*-*")
    request_id = staff.url.split("/requests/")[1].split("?")[0]
    await live(staff, timeout_ms)

    offer = member.locator("article.offer", has_text=words)
    took["accept"] = await timed(
        offer.locator("form[action$='/accept'] button").click(),
        staff,
        ARRIVED,
        ["#request-status .chip--in_progress", ""],
        timeout_ms,
    )

    await member.goto(f"{base}/requests/{request_id}")
    await live(member, timeout_ms)
    question = f"Which address? {words}"
    await member.fill("#comment-body", question)
    await member.check("input[name=question]")
    took["question"] = await timed(
        member.click("#comment button[type=submit]"), staff, ARRIVED, ["#request-live", question], timeout_ms
    )

    answer = f"The tenants' association. {words}"
    await member.wait_for_selector("#request-status .chip--waiting_on_requester")
    await staff.wait_for_selector("#comment-send")  # the form follows the question, out of band
    await staff.fill("#comment-body", answer)
    took["answer"] = await timed(
        staff.click("#comment button[type=submit]"), member, ARRIVED, ["#request-live", answer], timeout_ms
    )

    await member.wait_for_selector("#request-status .chip--in_progress")
    # Done and the invitation to thank, both timed from the member's tap.
    prompt = asyncio.create_task(timed(asyncio.sleep(0), staff, ARRIVED, ["[data-thanks]", ""], timeout_ms))
    took["done"] = await timed(
        member.click("form[action$='/status'] button"), staff, ARRIVED, ["#request-status .chip--done", ""], timeout_ms
    )
    took["thanks prompt"] = await prompt

    newest = await wall.evaluate("document.querySelector('#wall-feed article.kudos')?.id ?? ''")
    took["wall post"] = await timed(
        staff.click("[data-thanks]"), wall, NEW_FIRST, ["#wall-feed article.kudos", newest], timeout_ms
    )

    kudos_id = await wall.evaluate("document.querySelector('#wall-feed article.kudos').id")
    await member.goto(f"{base}/wall")
    await member.wait_for_selector(f"#{kudos_id}")
    await live(member, timeout_ms)
    applause = wall.locator(f"#{kudos_id} .reactions form").first.locator("button")
    took["reaction"] = await timed(
        applause.click(),
        member,
        ARRIVED,
        [f"#{kudos_id} .reactions form:first-child .reaction__count", "1"],
        timeout_ms,
    )
    return took
