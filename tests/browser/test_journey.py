"""The whole journey on two phones: Anna (staff) asks, Sanne (pool member) gets the offer
live, accepts, asks a question; Anna answers; Sanne completes; Anna sees every change live,
rates and sends the one-tap thanks; the wall shows it. Screenshots: tests/browser/screenshots/.
"""

import re
import uuid

from playwright.async_api import Page, expect

from tests.browser.conftest import shoot, sign_in

STAFF, MEMBER = "anna@example.org", "sanne@example.org"
LIVE = 15_000  # ms: a change must arrive without reloading within this


async def mark_page(page: Page) -> None:
    """A marker that survives only while the page is not reloaded: proves updates came live."""
    await page.evaluate("window.__notReloaded = true")


async def still_same_page(page: Page) -> None:
    assert await page.evaluate("window.__notReloaded === true"), "the page was reloaded, not updated live"


async def test_request_journey_from_ask_to_thanks_on_two_phones(system, phone):
    system.only_available(MEMBER)
    words = f"Brief aan de huurders over de lift ({uuid.uuid4().hex[:6]})"
    anna_phone, sanne_phone = await phone(), await phone()
    anna, sanne = await anna_phone.new_page(), await sanne_phone.new_page()

    await sign_in(sanne, system.base, MEMBER)
    await expect(sanne).to_have_url(f"{system.base}/offers")
    await mark_page(sanne)
    await shoot(sanne, "01-member-offers-empty")

    await sign_in(anna, system.base, STAFF)
    await shoot(anna, "02-staff-home")
    await anna.goto(f"{system.base}/requests/new")
    await anna.fill("#type-filter", "brief")
    await anna.check("input[name=type_id][value=letter]")
    await anna.fill("#description", words)
    await shoot(anna, "03-staff-new-request")
    await anna.click("form[action='/requests'] button[type=submit]")
    await anna.wait_for_url("**/requests/*-*")
    request_id = anna.url.split("/requests/")[1].split("?")[0]
    await mark_page(anna)
    await shoot(anna, "04-staff-request-sent")

    # The offer reaches Sanne's open page by itself.
    offer = sanne.locator("article.offer", has_text=words[:40])
    await expect(offer).to_be_visible(timeout=LIVE)
    await still_same_page(sanne)
    await expect(anna.locator("#request-status .chip--offered")).to_be_visible(timeout=LIVE)
    await shoot(sanne, "05-member-offer-arrived")

    await offer.locator("form[action$='/accept'] button").click()
    await expect(
        sanne.locator(f"#offers-live [aria-labelledby=work-title] a[href='/requests/{request_id}']")
    ).to_be_visible()
    await shoot(sanne, "06-member-accepted")
    await expect(anna.locator("#request-status .chip--in_progress")).to_be_visible(timeout=LIVE)
    await still_same_page(anna)
    await expect(anna.locator("#live-status")).to_contain_text("Onderhanden")  # said aloud, not only shown
    await shoot(anna, "07-staff-sees-in-progress")

    # Sanne asks a question; Anna sees it arrive and answers.
    await sanne.goto(f"{system.base}/requests/{request_id}")
    await mark_page(sanne)
    await sanne.fill("#comment-body", "Naar welk adres moet de brief?")
    await sanne.check("input[name=question]")
    await sanne.click("#comment button[type=submit]")
    await expect(anna.locator("#request-status .chip--waiting_on_requester")).to_be_visible(timeout=LIVE)
    await expect(anna.locator("#request-live")).to_contain_text("Naar welk adres moet de brief?")
    await still_same_page(anna)
    await expect(anna.locator("#comment-label")).to_have_text("Je antwoord")  # the form follows, out of band
    await shoot(anna, "08-staff-sees-question")
    await anna.fill("#comment-body", "Het adres van de VvE, Dorpsstraat 1.")
    await anna.click("#comment button[type=submit]")
    await mark_page(anna)

    await sanne.goto(f"{system.base}/requests/{request_id}")
    await expect(sanne.locator("#request-status .chip--in_progress")).to_be_visible()
    await expect(sanne.locator("#request-live")).to_contain_text("Dorpsstraat 1")
    await shoot(sanne, "09-member-sees-answer")
    await sanne.click("form[action$='/status'] button")
    await expect(sanne).to_have_url(re.compile(r".*/offers(\?.*)?$"))
    await expect(sanne.locator("main .banner--ok")).to_be_visible()
    await shoot(sanne, "10-member-completed")

    # Anna sees it done, rates it and says thanks in one tap.
    await expect(anna.locator("#request-status .chip--done")).to_be_visible(timeout=LIVE)
    await still_same_page(anna)
    await shoot(anna, "11-staff-sees-done")
    await anna.check("input[name=rating][value='5']")
    await anna.click("form[action$='/rating'] button[type=submit]")
    await expect(anna.locator("form[action$='/rating']")).to_have_count(0)
    async with anna.expect_response(lambda r: r.url.endswith("/thanks")) as thanked:
        await anna.click("[data-thanks]")
    assert (await thanked.value).status in (200, 303)
    await expect(anna.locator("[data-thanks]")).to_have_count(0)  # one tap, once
    assert system.call("recognition", "GET", "/v1/prompts/", STAFF) == [], "the thanks prompt was used"
    await shoot(anna, "12-staff-rated-and-thanked")

    item = system.call("intake", "GET", f"/v1/requests/{request_id}", STAFF)
    assert item["status"] == "done" and item["rating"] == 5

    await anna.goto(f"{system.base}/wall")
    kudos = anna.locator("article.kudos", has_text="Sanne de Vries").first
    await expect(kudos).to_be_visible()
    await shoot(anna, "13-wall-shows-thanks")
