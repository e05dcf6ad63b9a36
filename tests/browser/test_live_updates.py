"""Every kind of live update reaches the other open pages without a reload: offer, accept,
question, answer, done, the invitation to thank, a wall post and a reaction. Only arrival is
asserted, within a generous bound (the machine is shared); benchmarks/live_bench.py times them.
"""

from tests.browser.conftest import sign_in
from tests.browser.live_round import KINDS, Pages, one_round, watch

STAFF, MEMBER, COLLEAGUE = "anna@example.org", "sanne@example.org", "carla@example.org"
BOUND_MS = 20_000  # arrival, not speed: a loaded machine must not fail this


async def test_every_live_update_kind_reaches_the_other_open_pages_without_reload(system, browser):
    system.only_available(MEMBER)
    opened = []
    for email in (STAFF, MEMBER, COLLEAGUE):
        context = await browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
        page = await context.new_page()
        await sign_in(page, system.base, email)
        await watch(page)
        opened.append(page)
    pages = Pages(*opened, base=system.base)

    # Each kind is awaited in the receiving page's own document: a reload would never satisfy it.
    took = await one_round(pages, BOUND_MS)

    assert list(took) == list(KINDS)
