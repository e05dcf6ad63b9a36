"""The phone journey, polished, on 360×640 and 360×780 screens in Dutch and English: the offer
to act on comes first on the Work page (screenshot: tests/browser/screenshots/
polish-work-offer-360x640.png); a closed request's timeline names people only to those who may
know them and otherwise says "the pool"; a missing page stays in the app and the person's
language; the language is one tap away; words wrap whole, tooltips read on the pool's clock and
Dutch decimals have a comma; the welcome page leaves no trace in the address bar; the one-tap
thanks can carry a line.
"""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from services.cli.children import wait_until
from tests.browser.conftest import SCREENSHOTS, System, sign_in

STAFF, MEMBER, COLLEAGUE, LEAD = "anna@example.org", "sanne@example.org", "fatima@example.org", "lead@example.org"
SCREENS = [(360, 640), (360, 780)]
LANGUAGES = ["nl", "en"]
LIVE = 15_000  # ms


async def in_language(page: Page, base: str, lang: str) -> None:
    await page.context.add_cookies([{"name": "secpool_lang", "value": lang, "url": base}])


async def each_screen(page: Page, base: str) -> AsyncIterator[tuple[str, int, int]]:
    """Each language at each screen size of the issue, the page set to it."""
    for lang in LANGUAGES:
        await in_language(page, base, lang)
        for width, height in SCREENS:
            await page.set_viewport_size({"width": width, "height": height})
            yield lang, width, height


async def box(page: Page, selector: str) -> dict[str, Any]:
    """Where an element is drawn; polled, since a live part may be swapping itself just then."""
    for _ in range(100):
        found = await page.locator(selector).first.bounding_box()
        if found is not None:
            return dict(found)
        await page.wait_for_timeout(50)
    raise AssertionError(f"{selector} is not laid out on {page.url}")


def ask(system: System, description: str, who: str = STAFF) -> str:
    body = {"type_id": "letter", "description": description, "idempotency_key": str(uuid.uuid4())}
    created: dict[str, Any] = system.call("intake", "POST", "/v1/requests/", who, json=body)
    return str(created["id"])


def picked_up(system: System, description: str) -> str:
    """A request Anna sent and Sanne accepted at once (through the APIs)."""
    system.only_available(MEMBER)
    request_id = ask(system, description)

    def offer() -> dict[str, Any] | None:
        offers = system.call("routing", "GET", "/v1/members/me/offers", MEMBER)
        return next((o for o in offers if o["request_id"] == request_id and o["status"] == "open"), None)

    wait_until(lambda: offer() is not None, 20, "the offer to Sanne")
    system.call("routing", "POST", f"/v1/offers/{offer()['id']}/accept", MEMBER)  # type: ignore[index]

    def status() -> str:
        return str(system.call("intake", "GET", f"/v1/requests/{request_id}", STAFF)["status"])

    wait_until(lambda: status() == "in_progress", 20, "intake hears of the acceptance")
    return request_id


def finished(system: System, description: str) -> str:
    """A request Sanne picked up, asked about, had answered by Anna and finished (through the APIs)."""
    request_id = picked_up(system, description)
    path = f"/v1/requests/{request_id}"
    system.call("intake", "POST", f"{path}/comments", MEMBER, json={"body": "Welk adres?", "question": True})
    system.call("intake", "POST", f"{path}/comments", STAFF, json={"body": "Dorpsstraat 1"})
    system.call("intake", "POST", f"{path}/status", MEMBER, json={"status": "done"})
    return request_id


async def test_the_open_offer_and_its_accept_button_come_first_above_the_fold(system, phone):
    system.only_available(MEMBER)
    # The longest description the offer card shows (it cuts at 280 characters).
    words = f"Brief aan alle huurders ({uuid.uuid4().hex[:6]}) " + "over de liftstoring en de planning " * 9
    ask(system, words)
    sanne = await (await phone(viewport={"width": 360, "height": 640})).new_page()
    await sign_in(sanne, system.base, MEMBER)
    async for lang, width, height in each_screen(sanne, system.base):
        await sanne.goto(f"{system.base}/offers")
        offer = sanne.locator("article.offer", has_text=words[:30])
        await expect(offer).to_be_visible(timeout=LIVE)
        accept = await box(sanne, "article.offer form[action$='/accept'] button")
        tabbar = await box(sanne, "nav.tabbar")
        assert accept["y"] + accept["height"] <= tabbar["y"], (
            f"{lang} {width}×{height}: Accept ends at {accept['y'] + accept['height']:.0f} px, "
            f"the tab bar starts at {tabbar['y']:.0f} px"
        )
        presence = await box(sanne, "#presence-title")
        assert presence["y"] > accept["y"], f"{lang} {width}×{height}: presence comes before the offer"
        # Where she stands is still said at the top, one tap from the switch.
        await expect(sanne.locator(".presence__jump")).to_be_in_viewport()
        if (lang, height) == ("nl", 640):
            # What the screen shows, not the whole page: the fold is the point. Kept with the
            # journey's screenshots (pytest's temporary folders go at the end of the run).
            SCREENSHOTS.mkdir(exist_ok=True)
            shot = SCREENSHOTS / "polish-work-offer-360x640.png"
            await sanne.screenshot(path=str(shot))
            print(f"screenshot of the Work page at 360×640: {shot}")


async def test_a_closed_requests_timeline_names_who_may_be_known_and_otherwise_the_pool_never_secpool(system, phone):
    request_id = finished(system, f"Brief over de lift ({uuid.uuid4().hex[:6]})")
    said = {
        "nl": {
            "sent": "Anna Vermeulen heeft de aanvraag verstuurd",
            "answered": "Anna Vermeulen antwoordde",
            "asked": "De pool vroeg",
            "done": "De pool heeft hem afgerond",
        },
        "en": {
            "sent": "Anna Vermeulen sent the request",
            "answered": "Anna Vermeulen answered",
            "asked": "The pool asked",
            "done": "The pool finished it",
        },
    }
    for who in (LEAD, COLLEAGUE):
        page = await (await phone(viewport={"width": 360, "height": 640})).new_page()
        await sign_in(page, system.base, who)
        async for lang, width, height in each_screen(page, system.base):
            await page.goto(f"{system.base}/requests/{request_id}")
            timeline = page.locator("ol.timeline")
            for words in said[lang].values():
                await expect(timeline).to_contain_text(words)
            assert "secpool" not in (await timeline.inner_text()).lower(), (
                f"{who} {lang} {width}×{height}: secpool as an actor"
            )
            assert "Sanne" not in await timeline.inner_text(), f"{who} {lang} {width}×{height}: the member named"
    # Sanne did the work: she sees her own name beside her steps.
    sanne = await (await phone(viewport={"width": 360, "height": 780})).new_page()
    await sign_in(sanne, system.base, MEMBER)
    await sanne.goto(f"{system.base}/requests/{request_id}")
    await expect(sanne.locator("ol.timeline")).to_contain_text("Sanne de Vries vroeg")


async def test_a_missing_page_speaks_the_persons_language_and_keeps_the_tab_bar_and_a_way_back(system, phone):
    # The browser asks for English; the person's own setting decides once they are signed in.
    for who, lang, title in [(MEMBER, "nl", "Niet gevonden"), ("dirk@example.org", "en", "Not found")]:
        page = await (await phone(viewport={"width": 360, "height": 640}, locale="en-GB")).new_page()
        await sign_in(page, system.base, who)
        start = page.url.removeprefix(system.base)
        for width, height in SCREENS:
            await page.set_viewport_size({"width": width, "height": height})
            for missing in ("/no-such-page", "/requests/not-a-request", f"/requests/{uuid.uuid4()}"):
                answer = await page.goto(system.base + missing, referer=system.base + start)
                assert answer is not None and answer.status == 404, missing
                assert await page.get_attribute("html", "lang") == lang
                await expect(page.locator("h1")).to_have_text(title)
                await expect(page.locator("nav.tabbar")).to_be_visible()
                back = page.locator("main a.button").first
                assert await back.get_attribute("href") == start, f"{missing}: no way back to {start}"
                await expect(back).to_be_in_viewport()
    # Not signed in: the browser's language, and the way to the start page.
    stranger = await (await phone(viewport={"width": 360, "height": 640}, locale="nl-NL")).new_page()
    answer = await stranger.goto(f"{system.base}/no-such-page")
    assert answer is not None and answer.status == 404
    await expect(stranger.locator("h1")).to_have_text("Niet gevonden")


async def test_the_language_switch_is_on_every_page_and_on_the_welcome_page(system, phone):
    anna = await (await phone(viewport={"width": 360, "height": 640}, locale="nl-NL")).new_page()
    await sign_in(anna, system.base, STAFF, welcome=False)
    # First sign-in: the welcome page offers the language before anything else.
    assert "/welcome" in anna.url
    english = anna.locator("main form[action='/language'] button[value=en]")
    await expect(english).to_be_in_viewport()
    await english.click()
    await expect(anna.locator("html")).to_have_attribute("lang", "en")
    assert "/welcome" in anna.url, "choosing a language leaves the welcome steps"
    await anna.click("form[action='/welcome'] button[type=submit]")
    await anna.wait_for_url(lambda url: "/welcome" not in url)
    # Every page after it: one tap in the header, in view on a 360 px screen, and back where she was.
    for other in ("nl", "en"):
        for width, height in SCREENS:
            await anna.set_viewport_size({"width": width, "height": height})
            for path in ("/requests", "/wall", "/requests/new"):
                await anna.goto(system.base + path)
                switch = anna.locator(f"header form[action='/language'] button[value={other}]")
                await expect(switch).to_be_in_viewport()
                assert await anna.evaluate("document.scrollingElement.scrollWidth") <= width
        await switch.click()
        await expect(anna.locator("html")).to_have_attribute("lang", other)
        assert anna.url == f"{system.base}/requests/new", anna.url


async def test_after_continue_on_the_welcome_page_the_address_bar_shows_where_she_landed(system, phone):
    for (width, height), lang in zip(SCREENS, LANGUAGES, strict=True):
        page = await (await phone(viewport={"width": width, "height": height})).new_page()
        await in_language(page, system.base, lang)
        await sign_in(page, system.base, MEMBER, welcome=False)
        assert "/welcome?next=" in page.url, page.url
        await page.click("form[action='/welcome'] button[type=submit]")
        await expect(page.locator("h1")).to_have_text("Werk" if lang == "nl" else "Work")
        assert await page.evaluate("location.pathname + location.search") == "/offers"
        # Back leaves the app's start, not a welcome form already answered.
        await page.go_back()
        assert "/welcome" not in await page.evaluate("location.pathname"), "back returns to the welcome steps"


# Words drawn on more than one line: a break inside a word that hyphenation did not make.
SPLIT_WORDS = """(selector) => {
  const split = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


async def test_words_wrap_whole_times_read_on_the_pools_clock_and_dutch_decimals_have_a_comma(system, phone):
    ask(system, f"Brief ({uuid.uuid4().hex[:6]})")
    # The phone's own clock runs on UTC: the tooltip must still say Amsterdam's time.
    sanne = await (await phone(viewport={"width": 360, "height": 640}, timezone_id="UTC")).new_page()
    await sign_in(sanne, system.base, MEMBER)
    async for lang, width, height in each_screen(sanne, system.base):
        await sanne.goto(f"{system.base}/wall/new")
        await expect(sanne.locator("input[name=value_id]").first).to_be_attached()
        screen = f"{lang} {width}×{height}"
        assert await sanne.evaluate(SPLIT_WORDS, "main label, main legend, main h1, main h2") == [], screen
        assert await sanne.evaluate("getComputedStyle(document.querySelector('main')).hyphens") == "auto", screen

        await sanne.goto(f"{system.base}/offers")
        # Read in one go: the live part may replace the element between two reads.
        moment = sanne.locator("article.offer time[data-relative][title]").first
        await expect(moment).to_be_attached(timeout=LIVE)
        read = "(el) => [el.getAttribute('datetime'), el.getAttribute('title')]"
        when, title = await moment.evaluate(read)
        at = datetime.fromisoformat(when)
        amsterdam, utc = at.astimezone(ZoneInfo("Europe/Amsterdam")), at.astimezone(UTC)
        assert amsterdam.strftime("%H:%M") in title and utc.strftime("%H:%M") not in title, (screen, title)

    # A Dutch weight typed with a comma is taken, and shown with a comma in Dutch, a point in English.
    await in_language(sanne, system.base, "nl")
    await sanne.goto(f"{system.base}/pool/policy")
    await sanne.fill("#skill_weight", "1,5")
    await sanne.fill("#why", "Vaardigheid telt zwaarder")
    await sanne.click("#policy-form button.button--primary")
    await expect(sanne.locator("main .banner--ok")).to_be_visible()
    for lang, shown in (("nl", "1,5"), ("en", "1.5")):
        await in_language(sanne, system.base, lang)
        await sanne.goto(f"{system.base}/pool/policy")
        await expect(sanne.locator("#skill_weight")).to_have_value(shown)
        await expect(sanne.locator("#development_share")).not_to_have_value(re.compile(r"\d[.,]0+$"))


async def test_the_one_tap_thanks_carries_a_line_the_requester_adds(system, phone):
    said = {"nl": "Dank je wel voor je hulp!", "en": "Thank you for your help!"}
    for (width, height), lang in zip(SCREENS, LANGUAGES, strict=True):
        request_id = finished(system, f"Brief ({uuid.uuid4().hex[:6]})")
        anna = await (await phone(viewport={"width": width, "height": height})).new_page()
        await in_language(anna, system.base, lang)
        await sign_in(anna, system.base, STAFF)
        await anna.goto(f"{system.base}/requests/{request_id}")
        line = f"Precies wat ik nodig had ({lang} {height})"
        await anna.fill("#thanks-line", line)
        async with anna.expect_response(lambda r: r.url.endswith("/thanks")) as thanked:
            await anna.click("[data-thanks]")
        assert (await thanked.value).status in (200, 303)
        await expect(anna.locator("[data-thanks]")).to_have_count(0)
        await anna.goto(f"{system.base}/wall")
        await expect(anna.locator("article.kudos", has_text=line).first).to_contain_text(f"{said[lang]} {line}")


async def test_five_quick_pick_ups_draw_the_median_pick_up_chart_instead_of_no_figures(system, phone):
    for k in range(5):  # each finished again, so Sanne has room for the next
        request_id = picked_up(system, f"Snel opgepakt {k} ({uuid.uuid4().hex[:6]})")
        system.call("intake", "POST", f"/v1/requests/{request_id}/status", MEMBER, json={"status": "done"})
    lead = await (await phone(viewport={"width": 360, "height": 640})).new_page()
    await sign_in(lead, system.base, LEAD)
    nothing = {"nl": "Nog geen cijfers", "en": "No figures for this period yet"}
    async for lang, width, height in each_screen(lead, system.base):
        await lead.goto(f"{system.base}/lead/insights")
        chart = lead.locator("#chart-pickup")
        await expect(chart.locator("svg rect.chart__bar").first).to_be_attached()
        assert nothing[lang] not in await chart.inner_text(), f"{lang} {width}×{height}: the chart says it is empty"
        assert (await box(lead, "#chart-pickup svg"))["width"] <= width, (
            f"{lang} {width}×{height}: wider than the phone"
        )
