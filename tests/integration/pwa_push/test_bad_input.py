"""Bad input to the pwa itself gets a 4xx with a readable message, never a 5xx: NUL in a form
or JSON body, control characters in the path or the query, non-finite numbers, and a push
subscription whose expiry no date can hold."""

import pytest

from tests.integration.pwa_push.conftest import Pwa
from tests.integration.pwa_push.fake_push_service import FakeBrowser, FakePushService


def readable(response) -> str:
    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    detail = response.json()["detail"]
    assert len(str(detail).split()) >= 2
    return str(detail)


@pytest.mark.parametrize("email", ["anna\x00@example.org", "\x00"])
async def test_nul_in_a_form_is_refused_with_a_readable_400_naming_the_field(pwa: Pwa, email: str) -> None:
    me = await pwa.person()
    answer = await pwa.client.post(
        "/sign-in", data={"email": email, "password": "x"}, headers={**me.headers(), "accept": "application/json"}
    )
    assert readable(answer).startswith("email: text may not contain control characters")


async def test_control_characters_in_the_path_or_query_are_refused(pwa: Pwa) -> None:
    me = await pwa.person()
    headers = {**me.headers(), "accept": "application/json"}
    readable(await pwa.client.get("/requests/a%00b", headers=headers))  # no such route: a plain 404
    assert "control characters" in readable(await pwa.client.get("/pool/requests/a%00b", headers=headers))
    assert "control characters" in readable(await pwa.client.get("/sign-in?next=%2F%00", headers=headers))


@pytest.mark.parametrize("expiry", ["1e999", "-1", "1e300", "NaN", "Infinity"])
async def test_a_push_expiry_no_date_can_hold_is_a_400(pwa: Pwa, fake_push: FakePushService, expiry: str) -> None:
    me = await pwa.person()
    body = FakeBrowser(fake_push).subscription()
    raw = f'{{"endpoint": "{body["endpoint"]}", "keys": {{"p256dh": "{body["keys"]["p256dh"]}",'
    raw += f' "auth": "{body["keys"]["auth"]}"}}, "expirationTime": {expiry}}}'
    answer = await pwa.client.post(
        "/push/subscriptions", content=raw.encode(), headers={**me.headers(), "content-type": "application/json"}
    )
    readable(answer)


async def test_nul_in_a_push_endpoint_is_refused(pwa: Pwa, fake_push: FakePushService) -> None:
    me = await pwa.person()
    body = {**FakeBrowser(fake_push).subscription()}
    body["endpoint"] += "\x00"
    assert "control characters" in readable(
        await pwa.client.post("/push/subscriptions", json=body, headers=me.headers())
    )
