"""Everyday pool work on 360 px phones: a photo from the phone's camera input reaches the member
and the finished file comes back (a third person gets 404 for both); a file over the limit is
stopped before it is sent; the requester edits before pick-up; a Dutch word from the
conversation is found on Dutch and English pages; the request goes into a calendar; it is
repeated every Monday. Screenshots: tests/browser/screenshots/everyday-*.png."""

import uuid
from pathlib import Path

import httpx
from icalendar import Calendar
from playwright.async_api import Page, expect

from tests.browser.conftest import saved, shoot, sign_in

STAFF, MEMBER, THIRD = "anna@example.org", "sanne@example.org", "bram@example.org"
NARROW = {"viewport": {"width": 360, "height": 780}}
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 300
RESULT = b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 1500 + b"%%EOF\n"
LIVE = 15_000


async def fits(page: Page) -> None:
    width = await page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide at 360 px"


async def download(page: Page, selector: str, folder: Path) -> bytes:
    async with page.expect_download() as info:
        await page.click(selector)
    target = folder / uuid.uuid4().hex
    await (await info.value).save_as(target)
    return target.read_bytes()


async def in_language(page: Page, base: str, lang: str) -> None:
    await page.context.add_cookies([{"name": "secpool_lang", "value": lang, "url": base}])


async def test_everyday_pool_work_on_a_360_px_phone(system, phone, tmp_path):
    system.only_available("nobody@example.org")  # nobody picks it up while Anna changes it
    anna_phone, sanne_phone, bram_phone = await phone(**NARROW), await phone(**NARROW), await phone(**NARROW)
    anna, sanne, bram = await anna_phone.new_page(), await sanne_phone.new_page(), await bram_phone.new_page()
    await in_language(anna, system.base, "nl")
    await in_language(sanne, system.base, "en")
    await sign_in(anna, system.base, STAFF)
    await sign_in(sanne, system.base, MEMBER)
    await sign_in(bram, system.base, THIRD)

    # A new request with a photo from the camera input; files.js sends it with progress.
    words = f"Brief aan de huurders ({uuid.uuid4().hex[:6]})"
    await anna.goto(f"{system.base}/requests/new")
    await anna.check("input[name=type_id][value=letter]")
    await anna.fill("#description", words)
    assert await anna.get_attribute("#photo-input", "capture") == "environment"
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (26 * 1024 * 1024))
    await anna.set_input_files("#files-input", str(big))
    await anna.click("form[action='/requests'] button[type=submit]")
    await expect(anna.locator("[data-upload-error]")).to_contain_text("groter dan 25 MB")  # stopped before sending
    await fits(anna)
    await shoot(anna, "everyday-01-too-large")
    await anna.set_input_files("#files-input", [])
    await anna.set_input_files("#photo-input", {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": PHOTO})
    await anna.click("form[action='/requests'] button[type=submit]")
    await saved(anna, r"/requests/[0-9a-f-]{36}")
    request_page = anna.url.split("?")[0]
    await expect(anna.locator("#files")).to_contain_text("IMG_2041.jpg")
    await fits(anna)
    await shoot(anna, "everyday-02-sent-with-photo")

    # Edit before pick-up: in the timeline.
    await anna.click(f"a[href='{request_page.removeprefix(system.base)}/edit']")
    await anna.fill("#description", words + " van blok B")
    await anna.check("input[name=urgency][value=high]")
    await anna.click("form[action$='/edit/'] button[type=submit]")
    await expect(anna.locator(".timeline")).to_contain_text("wijzigde de beschrijving, de urgentie")
    await fits(anna)
    await shoot(anna, "everyday-03-edited")

    # Into the calendar: the request's .ics and the private feed both parse.
    ics = Calendar.from_ical(await download(anna, "a[href$='/calendar.ics']", tmp_path))
    assert [str(e["uid"]) for e in ics.walk("VEVENT")] == [f"{request_page.rsplit('/', 1)[-1]}@secpool"]
    await anna.goto(f"{system.base}/settings")
    await anna.click("form[action='/settings/calendar'] button[type=submit]")
    link = await anna.input_value("#calendar-link")
    await fits(anna)
    await shoot(anna, "everyday-04-calendar-link")
    async with httpx.AsyncClient() as calendar_app:  # no cookies: the link is the key
        feed = Calendar.from_ical((await calendar_app.get(link)).content)
    assert len(list(feed.walk("VEVENT"))) >= 1

    # Sanne picks it up, gets the photo, hands back the result and asks a question.
    system.only_available(MEMBER)
    await sanne.goto(f"{system.base}/offers")
    offer = sanne.locator("article.offer", has_text=words[:30])
    await expect(offer).to_be_visible(timeout=LIVE)
    await offer.locator("form[action$='/accept'] button").click()
    # Wait for the answer: leaving at once could cancel the accept before it is sent.
    await saved(sanne, r"/offers")
    await sanne.goto(request_page)
    photo_link = await sanne.get_attribute("#files a.file__name", "href")
    assert await download(sanne, "#files a.file__name", tmp_path) == PHOTO
    await sanne.set_input_files(
        "#files-input", {"name": "Brief huurders.pdf", "mimeType": "application/pdf", "buffer": RESULT}
    )
    await sanne.click("#add-files button[type=submit]")
    # files.js opens the page the server answers with once the upload is done: wait for it,
    # or that navigation could wipe the comment typed meanwhile.
    await saved(sanne, r"/requests/[0-9a-f-]{36}")
    await expect(sanne.locator("#files")).to_contain_text("Brief huurders.pdf")
    await sanne.fill("#comment-body", "Moeten de bewoners van blok C hem ook krijgen?")
    await sanne.click("#comment button[type=submit]")
    await expect(sanne.locator(".timeline")).to_contain_text("blok C", timeout=LIVE)
    await fits(sanne)
    await shoot(sanne, "everyday-05-member-handed-back")

    await anna.goto(request_page)
    result_link = await anna.locator("#files a.file__name", has_text="Brief huurders.pdf").get_attribute("href")
    assert await download(anna, f"#files a[href='{result_link}']", tmp_path) == RESULT

    for link in (photo_link, result_link):  # a third person: as if the files did not exist
        response = await bram.goto(f"{system.base}{link}")
        assert response is not None and response.status == 404

    # A Dutch word from the conversation, found on the Dutch and the English page.
    for page, label in ((anna, "In het gesprek:"), (sanne, "In the conversation:")):
        await page.goto(f"{system.base}/search")
        await page.fill("#search-q", "bewoners")
        await page.click("form[action='/search'] button[type=submit]")
        await expect(page.locator("#search-results")).to_contain_text(label)
        await expect(
            page.locator(f"#search-results a[href='{request_page.removeprefix(system.base)}']")
        ).to_be_visible()
        await fits(page)
    await shoot(anna, "everyday-06-search-nl")
    await shoot(sanne, "everyday-07-search-en")

    # Repeated every Monday.
    await anna.goto(request_page)
    await anna.click("#repeat summary")
    await anna.select_option("#repeat-when", "weekly-0")
    await anna.click("#repeat button[type=submit]")
    await expect(anna.locator("#recurring-list")).to_contain_text("elke maandag")
    await fits(anna)
    await shoot(anna, "everyday-08-recurring")
