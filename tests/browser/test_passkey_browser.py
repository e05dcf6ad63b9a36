"""Passkeys in the real browser, through static/passkeys.js under the strict CSP: Chromium's
virtual authenticator (a platform authenticator that verifies the user) adds a passkey from the
sign-in settings, and after signing out the passkey alone signs Anna in again.

Passkeys need a host name, not an IP address: the page is opened at http://localhost."""

from playwright.async_api import Browser, expect

from tests.browser.conftest import System, saved, sign_in
from tests.browser.test_csp_walk import watched

VIRTUAL_PHONE = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


async def test_a_passkey_is_added_in_the_browser_and_signs_in_without_a_password(system: System, browser: Browser):
    base = system.base.replace("127.0.0.1", "localhost")
    w = await watched(browser)
    page = w.page
    cdp = await w.context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_PHONE})

    await sign_in(page, base, "anna@example.org")
    await page.goto(f"{base}/settings/sign-in")
    await page.fill("#passkey-name", "Anna's phone")
    await page.click("[data-passkey-register]")
    await saved(page, "/settings/sign-in")
    await expect(page.locator("text=Anna's phone")).to_be_visible()

    await page.goto(f"{base}/settings")
    await page.click("form[action='/sign-out'] button")
    await page.wait_for_url("**/sign-in")
    await page.click("[data-passkey-sign-in]")
    await page.wait_for_url(lambda url: "/sign-in" not in url)
    if "/welcome" in page.url:
        await page.click("form[action='/welcome'] button[type=submit]")
    response = await page.goto(f"{base}/settings/sign-in")
    assert response is not None and page.url == f"{base}/settings/sign-in", "signed in: the settings open"
    await expect(page.locator("#sessions-title")).to_be_visible()
    assert await w.violations() == []
    await w.context.close()
