"""Push subscriptions are rate-limited per person (PostgreSQL, shared by replicas): a burst past
the limit gets 429 with Retry-After, and the subscriptions before it were kept."""

from pwa import limits
from pwa.push import store
from tests.integration.pwa_push.conftest import Pwa
from tests.integration.pwa_push.fake_push_service import FakeBrowser, FakePushService


async def test_a_burst_of_subscriptions_past_the_limit_gets_429_with_retry_after(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    me = await pwa.person()
    for _ in range(limits.PUSH_SUBSCRIBE.tries):
        body = FakeBrowser(fake_push).subscription()
        assert (await pwa.client.post("/push/subscriptions", json=body, headers=me.headers())).status_code == 201
    refused = await pwa.client.post(
        "/push/subscriptions", json=FakeBrowser(fake_push).subscription(), headers=me.headers()
    )
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= limits.PUSH_SUBSCRIBE.seconds
    async with pwa.db() as conn:
        assert len(await store.endpoints_of(conn, me.id)) == limits.PUSH_SUBSCRIBE.tries
