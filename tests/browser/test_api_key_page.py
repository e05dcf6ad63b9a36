"""Admin → API keys in Chromium, against the real processes: an admin makes a write key (shown
once, in a field to copy), intake accepts it as soon as it has heard of it, the admin revokes
it with one tap and intake refuses it; the page meets WCAG 2.2 AA (axe-core) on a phone."""

import asyncio
import time

import httpx
from playwright.async_api import Browser

from tests.browser.conftest import PHONE, System, saved, sign_in
from tests.browser.test_accessibility import violations

POOL_REQUESTS = "/v1/pools/pool-secretariaat/requests"


async def intake_answers(system: System, key: str, status: int, within: float = 20.0) -> None:
    """Poll intake with the key until it answers `status` (the key's events travel through NATS)."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(base_url=system.url("intake")) as client:
        while True:
            answer = await client.get(POOL_REQUESTS, headers={"x-api-key": key})
            if answer.status_code == status:
                return
            assert time.monotonic() < deadline, f"intake still answers {answer.status_code}: {answer.text[:200]}"
            await asyncio.sleep(0.1)


async def test_an_admin_makes_a_key_that_works_and_revokes_it(browser: Browser, system: System) -> None:
    context = await browser.new_context(locale="en-GB", **PHONE)
    page = await context.new_page()
    await sign_in(page, system.base, "admin@example.org")
    await page.goto(f"{system.base}/admin/api-keys/")
    assert await violations(page) == []
    await page.fill("#key-name", "Facilities desk")
    await page.select_option("#key-pool", "pool-secretariaat")
    await page.check("input[name=scope][value=write]")
    await page.click("form[action='/admin/api-keys/'] button[type=submit]")
    made = page.locator("#made-key")
    await made.wait_for()
    key = await made.input_value()
    assert key.startswith("spk_")
    assert await violations(page) == []
    await intake_answers(system, key, 200)

    await page.goto(f"{system.base}/admin/api-keys/")
    assert await page.locator("#made-key").count() == 0  # shown once
    key_id = await page.locator("#api-keys li[data-key-id]").first.get_attribute("data-key-id")
    assert key_id is not None and key_id.replace("-", "") in key
    await page.click(f"li[data-key-id='{key_id}'] form button[type=submit]")
    await saved(page, "/admin/api-keys/?")
    await intake_answers(system, key, 401)
    await context.close()
