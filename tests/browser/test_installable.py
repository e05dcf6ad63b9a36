"""Installable: Chromium's own installability check finds nothing missing (manifest, icons,
service worker with a fetch handler), and the worker controls the page after a reload."""

from tests.browser.conftest import sign_in
from tests.support import eventually


async def test_chromium_finds_the_app_installable_and_the_worker_in_control(system, phone):
    context = await phone()
    page = await context.new_page()
    await sign_in(page, system.base, "carla@example.org")
    await page.evaluate("navigator.serviceWorker.ready")
    await page.reload()
    assert await page.evaluate("navigator.serviceWorker.controller?.scriptURL") == f"{system.base}/sw.js"

    cdp = await context.new_cdp_session(page)
    manifest = await cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]

    async def errors() -> list[str]:
        found = await cdp.send("Page.getInstallabilityErrors")
        return [e["errorId"] for e in found["installabilityErrors"]]

    # The check reads the worker's state, which settles just after activation.
    await eventually(errors, lambda ids: ids == [], within=10)
