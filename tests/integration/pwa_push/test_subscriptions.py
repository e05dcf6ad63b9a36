"""A browser's push subscription: stored per device for a signed-in person with a valid
CSRF header, refused for anything but a push service, forgotten on sign-out."""

import pytest

from pwa import accounts
from pwa.push import store
from tests.integration.pwa_push.conftest import Person, Pwa
from tests.integration.pwa_push.fake_push_service import FakeBrowser, FakePushService


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:1/x", "https://example.com/x", "https://169.254.169.254/x"])
async def test_a_non_push_endpoint_is_refused_at_subscribe_time(
    pwa: Pwa, fake_push: FakePushService, endpoint: str
) -> None:
    me = await pwa.person()
    body = {**FakeBrowser(fake_push).subscription(), "endpoint": endpoint}
    refused = await pwa.client.post("/push/subscriptions", json=body, headers=me.headers())
    assert refused.status_code == 422
    assert "known push service" in refused.json()["detail"]
    async with pwa.db() as conn:
        assert await store.endpoints_of(conn, me.id) == []


async def test_subscribing_needs_a_session_and_the_csrf_header_app_js_sends(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    me, body = await pwa.person(), FakeBrowser(fake_push).subscription()
    no_csrf = await pwa.client.post("/push/subscriptions", json=body, headers=me.headers(csrf=False))
    assert no_csrf.status_code == 403
    csrf_only = me.headers()
    csrf_only["cookie"] = csrf_only["cookie"].replace(f"secpool={me.token}", "secpool=nobody")
    assert (await pwa.client.post("/push/subscriptions", json=body, headers=csrf_only)).status_code == 401
    bad_keys = {**body, "keys": {"p256dh": "AAAA", "auth": body["keys"]["auth"]}}
    assert (await pwa.client.post("/push/subscriptions", json=bad_keys, headers=me.headers())).status_code == 422


async def test_one_subscription_per_device_that_moves_with_the_person_signed_in(
    pwa: Pwa, fake_push: FakePushService
) -> None:
    first, second = await pwa.person(), await pwa.person()
    shared_tablet = FakeBrowser(fake_push).subscription()
    for who in (first, first, second):
        response = await pwa.client.post("/push/subscriptions", json=shared_tablet, headers=who.headers())
        assert response.status_code == 201
    async with pwa.db() as conn:
        assert await store.endpoints_of(conn, first.id) == []
        assert await store.endpoints_of(conn, second.id) == [shared_tablet["endpoint"]]


async def test_unsubscribing_and_signing_out_forget_the_device(pwa: Pwa, fake_push: FakePushService) -> None:
    on_phone = await pwa.person()
    async with pwa.db() as conn:
        on_laptop = Person(on_phone.id, await accounts.start_session(conn, on_phone.id))
    phone, laptop = FakeBrowser(fake_push).subscription(), FakeBrowser(fake_push).subscription()
    for session, device in ((on_phone, phone), (on_laptop, laptop)):
        response = await pwa.client.post("/push/subscriptions", json=device, headers=session.headers())
        assert response.status_code == 201

    gone = await pwa.client.request(
        "DELETE", "/push/subscriptions", json={"endpoint": phone["endpoint"]}, headers=on_phone.headers()
    )
    assert gone.status_code == 204
    async with pwa.db() as conn:
        assert await store.endpoints_of(conn, on_phone.id) == [laptop["endpoint"]]
    again = await pwa.client.post("/push/subscriptions", json=phone, headers=on_phone.headers())
    assert again.status_code == 201

    async with pwa.db() as conn:
        await accounts.end_session(conn, on_phone.token)  # POST /sign-out on the phone
        assert await store.endpoints_of(conn, on_phone.id) == [laptop["endpoint"]]
        await accounts.end_all_sessions(conn, on_phone.id)  # "sign out everywhere"
        assert await store.endpoints_of(conn, on_phone.id) == []


async def test_another_account_cannot_take_over_an_endpoint_it_only_knows(pwa: Pwa, fake_push: FakePushService) -> None:
    """An endpoint belongs to the account that registered it: another account that knows the URL
    but not that subscription's keys is refused (409), and nothing of the owner's changes."""
    owner, intruder = await pwa.person(), await pwa.person()
    phone = FakeBrowser(fake_push).subscription()
    assert (await pwa.client.post("/push/subscriptions", json=phone, headers=owner.headers())).status_code == 201
    stolen = {**FakeBrowser(fake_push).subscription(), "endpoint": phone["endpoint"]}
    refused = await pwa.client.post("/push/subscriptions", json=stolen, headers=intruder.headers())
    assert refused.status_code == 409 and "another account" in refused.json()["detail"]
    half = {**phone, "keys": {**phone["keys"], "auth": stolen["keys"]["auth"]}}
    assert (await pwa.client.post("/push/subscriptions", json=half, headers=intruder.headers())).status_code == 409
    async with pwa.db() as conn:
        assert await store.endpoints_of(conn, owner.id) == [phone["endpoint"]]
        assert await store.endpoints_of(conn, intruder.id) == []
        keys = await conn.fetchrow("SELECT p256dh, auth FROM push_subscriptions WHERE endpoint = $1", phone["endpoint"])
    assert dict(keys) == phone["keys"]
    # Unsubscribing someone else's endpoint does nothing either.
    gone = await pwa.client.request(
        "DELETE", "/push/subscriptions", json={"endpoint": phone["endpoint"]}, headers=intruder.headers()
    )
    assert gone.status_code == 204
    async with pwa.db() as conn:
        assert await store.endpoints_of(conn, owner.id) == [phone["endpoint"]]


async def test_the_owner_may_renew_its_endpoint_with_new_keys(pwa: Pwa, fake_push: FakePushService) -> None:
    owner = await pwa.person()
    phone = FakeBrowser(fake_push).subscription()
    renewed = {**FakeBrowser(fake_push).subscription(), "endpoint": phone["endpoint"]}
    for subscription in (phone, renewed):
        response = await pwa.client.post("/push/subscriptions", json=subscription, headers=owner.headers())
        assert response.status_code == 201
    async with pwa.db() as conn:
        keys = await conn.fetchrow("SELECT p256dh, auth FROM push_subscriptions WHERE endpoint = $1", phone["endpoint"])
    assert dict(keys) == renewed["keys"]
