"""The phone journey, polished, on 360×640 and 360×780 screens in Dutch and English: the offer
to act on comes first on the Work page, above the fold and clear of the tab bar (screenshot:
tests/browser/screenshots/polish-work-offer-360x640.png).
"""

import uuid
from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, System, sign_in

STAFF, MEMBER = "anna@example.org", "sanne@example.org"
SCREENS = [(360, 640), (360, 780)]
LANGUAGES = ["nl", "en"]
LIVE = 15_000  # ms


async def in_language(page: Page, base: str, lang: str) -> None:
    await page.context.add_cookies([{"name": "secpool_lang", "value": lang, "url": base}])


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


async def test_the_open_offer_and_its_accept_button_come_first_above_the_fold(system, phone):
    system.only_available(MEMBER)
    # The longest description the offer card shows (it cuts at 280 characters).
    words = f"Brief aan alle huurders ({uuid.uuid4().hex[:6]}) " + "over de liftstoring en de planning " * 9
    ask(system, words)
    sanne = await (await phone(viewport={"width": 360, "height": 640})).new_page()
    await sign_in(sanne, system.base, MEMBER)
    for lang in LANGUAGES:
        await in_language(sanne, system.base, lang)
        for width, height in SCREENS:
            await sanne.set_viewport_size({"width": width, "height": height})
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
