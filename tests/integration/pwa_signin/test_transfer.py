"""The real pwa's pages and static files on the wire: compressed, the page's static files
under hashed names kept for a year, and an unchanged page answered with a 304."""

import re

from tests.integration.pwa_signin.conftest import SignInPwa, Visitor

BROWSER = {"accept": "text/html", "accept-language": "en", "accept-encoding": "gzip, deflate, br"}


async def test_a_page_comes_compressed_and_names_its_static_files_by_hash(signin_pwa: SignInPwa, browser: Visitor):
    page = await browser.send("GET", "/sign-in", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "br"
    assert "Accept-Encoding" in page.headers["vary"]
    addresses = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    assert any(re.fullmatch(r"/static/app\.[0-9a-f]{8}\.css", a) for a in addresses), addresses
    assert any(re.fullmatch(r"/static/vendor/htmx\.min\.[0-9a-f]{8}\.js", a) for a in addresses), addresses
    for address in set(addresses):
        file = await browser.send("GET", address, headers=BROWSER)
        assert file.status_code == 200, address
        assert file.headers["cache-control"] == "public, max-age=31536000, immutable", address
        if address.endswith((".js", ".css", ".svg")):
            assert file.headers["content-encoding"] == "br", address
        # The hardening headers travel with static files too.
        assert "frame-ancestors 'none'" in file.headers["content-security-policy"], address


async def test_an_unchanged_page_is_a_304_once_the_browser_has_its_cookies(signin_pwa: SignInPwa, browser: Visitor):
    await browser.send("GET", "/sign-in", headers=BROWSER)  # sets the CSRF cookie (no ETag then)
    first = await browser.send("GET", "/sign-in", headers=BROWSER)
    etag = first.headers["etag"]
    again = await browser.send("GET", "/sign-in", headers={**BROWSER, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == "private, no-cache"
    assert "frame-ancestors 'none'" in again.headers["content-security-policy"]


async def test_the_worker_knows_the_hashed_addresses_and_is_checked_each_visit(signin_pwa: SignInPwa, browser: Visitor):
    worker = await browser.send("GET", "/sw.js", headers=BROWSER)
    assert worker.headers["cache-control"] == "no-cache"
    assert re.search(r'"app\.css": "/static/app\.[0-9a-f]{8}\.css"', worker.text)
    again = await browser.send("GET", "/sw.js", headers={**BROWSER, "if-none-match": worker.headers["etag"]})
    assert again.status_code == 304
