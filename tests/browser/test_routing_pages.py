"""The pool's routing pages in a phone browser at 360 px (axe-clean, nothing scrolls sideways):
trying a policy on the pool's own last weeks before adopting it (progress, then both policies
side by side with a chart, then saving it), "my growth" (private: another member and the lead
get 404) and the team's skill coverage (thin skills flagged, a learning goal one tap away)."""

import json
import uuid
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from tests.browser.conftest import PHONE, System, saved, sign_in
from tests.browser.test_accessibility import violations

MEMBER, COLLEAGUE, LEAD, STAFF = "sanne@example.org", "emma@example.org", "lead@example.org", "anna@example.org"


async def phone_at_360(browser: Browser, system: System, lang: str) -> BrowserContext:
    context = await browser.new_context(
        locale=f"{lang}-NL", reduced_motion="reduce", **{**PHONE, "viewport": {"width": 360, "height": 740}}
    )
    host = system.base.split("//")[1].split(":")[0]
    await context.add_cookies([{"name": "secpool_lang", "value": lang, "domain": host, "path": "/"}])
    return context


async def fits_and_passes_axe(page: Page) -> None:
    problems: list[Any] = await violations(page)
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)
    sideways = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    assert not await page.evaluate(sideways), f"{page.url} scrolls sideways at 360 px"


async def test_a_member_tries_a_policy_on_the_last_weeks_and_then_adopts_it(browser: Browser, system: System) -> None:
    for text in ("Brief aan de huurders", "Reis naar Gent boeken"):
        body = {"type_id": "letter", "description": text, "idempotency_key": str(uuid.uuid4())}
        system.call("intake", "POST", "/v1/requests/", STAFF, json=body)
    context = await phone_at_360(browser, system, "en")
    page = await context.new_page()
    await sign_in(page, system.base, MEMBER, welcome=False)
    await page.goto(f"{system.base}/pool/policy")
    await page.fill("#fairness_weight", "1")
    await page.click("button[formaction='/pool/policy/try']")
    await page.wait_for_url(lambda url: "trial=" in url)
    # Right after asking, the trial is still to run: the page shows its progress and polls itself
    # (or, when the trial was quicker than the page, its result; the chart has a table of its own).
    done = page.locator("#trial > .table-wrap > table.data")
    assert await page.locator("#trial-progress").count() == 1 or await done.count() == 1
    await page.wait_for_selector("#trial table.data", timeout=30_000)
    assert await done.count() == 1
    table = await page.inner_text("#trial table.data")
    assert "Current" in table and "Proposed" in table and "Mean time to done" in table
    assert await page.locator("#chart-trial svg").count() == 1
    assert await page.input_value("#fairness_weight") == "1"  # the form keeps what was tried
    await fits_and_passes_axe(page)
    assert "has not changed the policy yet" in await page.inner_text("#history-title + *")  # nothing saved yet

    await page.fill("#why", "Speed over an even day, tried on our last weeks")
    await page.click("#policy-form button.button--primary")
    await saved(page, "/pool/policy")
    history = await page.inner_text(".timeline")
    assert "Fair share of the day: 4.0 → 1.0" in history
    await fits_and_passes_axe(page)
    await context.close()


async def test_my_growth_is_mine_alone_another_member_and_the_lead_get_404(browser: Browser, system: System) -> None:
    me = system.person(MEMBER).account_id
    context = await phone_at_360(browser, system, "nl")
    page = await context.new_page()
    await sign_in(page, system.base, MEMBER, welcome=False)
    await page.goto(f"{system.base}/pool/growth")
    assert page.url.endswith(f"/pool/growth/{me}")
    assert await page.locator("h1").inner_text() == "Mijn groei"
    assert "Evenementen" in await page.inner_text("#goals-title + *")  # her learning goal
    await fits_and_passes_axe(page)
    await context.close()

    for other in (COLLEAGUE, LEAD):
        context = await phone_at_360(browser, system, "nl")
        page = await context.new_page()
        await sign_in(page, system.base, other, welcome=False)
        response = await page.goto(f"{system.base}/pool/growth/{me}")
        assert response is not None and response.status == 404, other
        assert "Sanne" not in await page.inner_text("main")
        await context.close()


async def test_the_pools_coverage_flags_thin_skills_and_a_member_takes_one_as_a_goal(
    browser: Browser, system: System
) -> None:
    context = await phone_at_360(browser, system, "nl")
    page = await context.new_page()
    await sign_in(page, system.base, LEAD, welcome=False)
    await page.goto(f"{system.base}/pool/coverage")
    thin = await page.inner_text("#risk-title + ul")
    assert "Evenementen" in thin and "Onboarding" in thin
    assert "Lotte" not in await page.inner_text("main")  # counts, never names
    await fits_and_passes_axe(page)
    await context.close()

    context = await phone_at_360(browser, system, "en")
    page = await context.new_page()
    await sign_in(page, system.base, MEMBER, welcome=False)
    await page.goto(f"{system.base}/pool/coverage")
    await fits_and_passes_axe(page)
    onboarding = page.locator("#risk-title + ul li", has_text="Onboarding")
    await onboarding.locator("button").click()
    await saved(page, "/pool/coverage")
    me = system.call("routing", "GET", "/v1/members/me", MEMBER)
    assert "onboarding" in me["learning"] and "events" in me["learning"]
    await context.close()
