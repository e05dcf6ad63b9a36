"""Progressive enhancement: with JavaScript off (no htmx, no service worker) a person still
signs in, submits a request, and a pool member still accepts it — plain forms and links."""

import uuid

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import PHONE, shoot, sign_in

STAFF, MEMBER = "dirk@example.org", "lotte@example.org"


async def offer_shows_up(page: Page, words: str) -> None:
    """Without live updates the member reloads until the offer is there."""
    for _ in range(40):
        if await page.locator("article.offer", has_text=words).count():
            return
        await page.wait_for_timeout(250)
        await page.reload()
    raise AssertionError("the offer never appeared on /offers")


async def test_submit_and_accept_work_without_javascript(system, browser: Browser):
    system.only_available(MEMBER)
    staff = await (await browser.new_context(java_script_enabled=False, **PHONE)).new_page()
    member = await (await browser.new_context(java_script_enabled=False, **PHONE)).new_page()
    words = f"Overleg met de auditor plannen ({uuid.uuid4().hex[:6]})"

    await sign_in(staff, system.base, STAFF)
    await staff.goto(f"{system.base}/requests/new")
    await staff.check("input[name=type_id][value=agenda-meeting]")
    await staff.fill("#description", words)
    await staff.click("form[action='/requests'] button[type=submit]")
    await expect(staff.locator("#request-status")).to_be_visible()
    await shoot(staff, "nojs-01-request-sent")

    await sign_in(member, system.base, MEMBER)
    await member.goto(f"{system.base}/offers")
    await offer_shows_up(member, words)
    await shoot(member, "nojs-02-offer")
    await member.locator("article.offer", has_text=words).locator("form[action$='/accept'] button").click()
    await expect(member.locator("#offers-live a", has_text=words[:20])).to_be_visible()
    await shoot(member, "nojs-03-accepted")

    await staff.reload()
    await expect(staff.locator("#request-status .chip--in_progress")).to_be_visible()
