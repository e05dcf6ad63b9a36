"""The admin and lead pages of a real organisation (people, invite, import with its errors,
pools, public holidays, a member's hours and absence, values, mail) and the password pages meet
WCAG 2.2 AA (axe-core) in Dutch and English, on a 360 px phone and on a desktop, without
scrolling sideways."""

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from pwa.mail import folder
from tests.browser.conftest import PHONE, System, saved, sign_in
from tests.browser.test_accessibility import violations

ADMIN, LEAD, MEMBER = "admin@example.org", "lead@example.org", "sanne@example.org"
SIZES = {
    "phone": {**PHONE, "viewport": {"width": 360, "height": 740}},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


async def check(page: Page, found: dict[str, Any], label: str) -> None:
    if problems := await violations(page):
        found[label] = problems
    if await page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
        found[label] = "scrolls sideways"


async def visit(
    browser: Browser, system: System, lang: str, size: str, who: str | None, paths: list[str]
) -> dict[str, Any]:
    context = await browser.new_context(locale=f"{lang}-NL", reduced_motion="reduce", **SIZES[size])
    host = system.base.split("//")[1].split(":")[0]
    await context.add_cookies([{"name": "secpool_lang", "value": lang, "domain": host, "path": "/"}])
    page = await context.new_page()
    found: dict[str, Any] = {}
    if who:
        await sign_in(page, system.base, who, welcome=False)
    for path in paths:
        response = await page.goto(system.base + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        assert await page.evaluate("document.documentElement.lang") == lang
        await check(page, found, f"{lang} {size} {who} {path}")
    if who == ADMIN:
        await page.goto(f"{system.base}/admin/people/import")
        await page.set_input_files(
            "#file",
            files=[
                {
                    "name": "people.csv",
                    "mimeType": "text/csv",
                    "buffer": b"email,name,roles,pools,language\nbad,Bad,boss,,nl\n",
                }
            ],
        )
        await page.click("form[enctype='multipart/form-data'] button[type=submit] >> nth=-1")
        await page.wait_for_selector(".banner--error")
        await check(page, found, f"{lang} {size} import with errors")
        await page.goto(f"{system.base}/admin/people/new")
        await page.evaluate("document.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required'))")
        await page.click("form[action='/admin/people'] button[type=submit]")
        await page.wait_for_selector(".field-error")
        await check(page, found, f"{lang} {size} invite with errors")
    await context.close()
    return found


def member_id(system: System, email: str) -> str:
    return system.person(email).account_id


async def invite_link(browser: Browser, system: System, data_dir: Path) -> str:
    """Invite someone through the page; their link from the mail folder."""
    context = await browser.new_context()
    page = await context.new_page()
    await sign_in(page, system.base, ADMIN, welcome=False)
    await page.goto(f"{system.base}/admin/people/new")
    await page.fill("#name", "Nina Nieuw")
    await page.fill("#email", "nina@example.org")
    await page.check("input[name=roles][value=staff]")
    await page.click("form[action='/admin/people'] button[type=submit]")
    await saved(page, r"/admin/people/[\w-]+")
    await context.close()
    for _ in range(100):
        for mail in folder.listing(data_dir / "mail"):
            if m := re.search(r"(/password/[\w-]+)", mail.body):
                return m.group(1)
        await asyncio.sleep(0.1)
    raise AssertionError("no invite in the mail folder")


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_admin_and_lead_pages_meet_wcag_2_2_aa_on_a_phone_and_a_desktop(
    system: System, browser: Browser, lang: str
):
    data_dir = Path(system.env["SECPOOL_DATA_DIR"])
    link = await invite_link(browser, system, data_dir) if lang == "nl" else None
    sanne = member_id(system, MEMBER)
    screens: dict[str | None, list[str]] = {
        None: ["/password-reset", *([link] if link else [])],
        ADMIN: [
            "/admin/people",
            "/admin/people/new",
            f"/admin/people/{sanne}",
            "/admin/people/import",
            "/pools",
            "/pools/pool-secretariaat",
            "/pools/pool-secretariaat/holidays",
            "/pools/new",
            f"/members/{sanne}",
            "/admin/values",
            "/admin/mail",
        ],
        LEAD: ["/pools", "/pools/pool-secretariaat", f"/members/{sanne}", "/admin/values"],
        MEMBER: [f"/members/{sanne}"],
    }
    found: dict[str, Any] = {}
    for size in SIZES:
        for who, paths in screens.items():
            found |= await visit(browser, system, lang, size, who, paths)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
