"""Every kind of live update reaches the other open pages without a reload: offer, accept,
question, answer, done, the invitation to thank, a wall post and a reaction. Only arrival is
asserted, within a generous bound (the machine is shared); benchmarks/live_bench.py times them.
"""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.live_round import KINDS, Pages, one_round, watch

STAFF, MEMBER, COLLEAGUE = "anna@example.org", "sanne@example.org", "carla@example.org"
BOUND_MS = 20_000  # arrival, not speed: a loaded machine must not fail this


# Each phone size once and each language once (the updates do not depend on the words).
@pytest.mark.parametrize(("lang", "height"), [("nl", 640), ("en", 780)])
async def test_every_live_update_kind_reaches_the_other_open_pages_without_reload(system, browser, lang, height):
    system.only_available(MEMBER)
    opened = []
    for email in (STAFF, MEMBER, COLLEAGUE):
        context = await browser.new_context(viewport={"width": 360, "height": height}, is_mobile=True, has_touch=True)
        await context.add_cookies([{"name": "secpool_lang", "value": lang, "url": system.base}])
        page = await context.new_page()
        await sign_in(page, system.base, email)
        await watch(page)
        opened.append(page)
    pages = Pages(*opened, base=system.base)

    # Each kind is awaited in the receiving page's own document: a reload would never satisfy it.
    took = await one_round(pages, BOUND_MS)

    assert list(took) == list(KINDS)
