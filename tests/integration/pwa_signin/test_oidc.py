"""Signing in with the organisation's identity provider (a local mock shaped like Microsoft
Entra ID): state, nonce and PKCE S256 in the request; an invited account is linked by e-mail
and then known by `tid`:`oid`; a wrong issuer, audience or nonce, a callback from another
browser, a reused state and an unknown person are all refused."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from pwa.sign_in_config import OidcConfig, SignInConfig
from tests.integration.pwa_signin.conftest import SignInPwa, Visitor
from tests.integration.pwa_signin.mock_idp import MockIdentityProvider


@pytest.fixture
def idp() -> Iterator[MockIdentityProvider]:
    with MockIdentityProvider().running() as running:
        yield running


@pytest.fixture
def sign_in_config(idp: MockIdentityProvider) -> SignInConfig:
    return SignInConfig(
        public_url="http://testserver.local",
        oidc=OidcConfig(issuer=idp.issuer, client_id=idp.client_id, client_secret=idp.client_secret, name="Contoso"),
    )


async def through_the_provider(browser: Visitor) -> tuple[str, str]:
    """Start at the pwa, let the provider consent: the callback path the browser is sent back to."""
    start = await browser.get("/sign-in/oidc?next=/settings")
    assert start.status_code == 302, start.text[:300]
    async with httpx.AsyncClient() as outside:
        consent = await outside.get(start.headers["location"], follow_redirects=False)
    assert consent.status_code in (302, 303, 307)
    back = urlsplit(consent.headers["location"])
    assert back.netloc == "testserver.local"
    return f"{back.path}?{back.query}", start.headers["location"]


async def test_an_invited_person_signs_in_with_the_organisation_account(
    signin_pwa: SignInPwa, browser: Visitor, idp: MockIdentityProvider
):
    account_id, email = await signin_pwa.person()
    assert "Sign in with Contoso" in (await browser.get("/sign-in")).text
    idp.person(email)
    callback, authorize = await through_the_provider(browser)
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["nonce"][0] and asked["state"][0]
    assert asked["redirect_uri"] == ["http://testserver.local/sign-in/oidc/callback"]
    signed_in = await browser.get(callback)
    assert signed_in.status_code == 303, signed_in.text[:300]
    assert (await browser.get("/settings")).status_code == 200
    assert await signin_pwa.audit_actions(account_id) == ["oidc.linked", "sign_in"]
    async with signin_pwa.db() as conn:
        linked = await conn.fetchval("SELECT oidc_subject FROM accounts WHERE id = $1", account_id)
    assert linked == f"{idp.tenant}:{idp.user['oid']}"

    await browser.post("/sign-out")
    idp.user["email"] = idp.user["preferred_username"] = "renamed@example.org"
    callback, _ = await through_the_provider(browser)
    assert (await browser.get(callback)).status_code == 303, "known by tid:oid, whatever the address says"


@pytest.mark.parametrize(
    "tamper",
    [
        {"iss": "https://login.microsoftonline.com/another-tenant/v2.0"},
        {"aud": "another-app"},
        {"aud": ["secpool-test-client", "another-app"]},
        {"nonce": "a-nonce-from-another-sign-in"},
        {"exp": 1_000_000_000},
    ],
    ids=["wrong issuer", "wrong audience", "extra audience", "wrong nonce", "expired"],
)
async def test_a_token_with_a_wrong_claim_is_refused(
    signin_pwa: SignInPwa, browser: Visitor, idp: MockIdentityProvider, tamper: dict[str, object]
):
    _, email = await signin_pwa.person()
    idp.person(email)
    idp.tamper = tamper
    callback, _ = await through_the_provider(browser)
    refused = await browser.get(callback)
    assert refused.status_code == 400
    assert "did not work" in refused.text
    assert (await browser.get("/settings")).status_code in (302, 303)
    async with signin_pwa.db() as conn:
        reasons = await conn.fetch("SELECT detail->>'reason' AS r FROM audit_log WHERE action = 'sign_in.failed'")
    assert reasons and all("id_token refused" in r["r"] for r in reasons)


async def test_a_callback_made_for_another_browser_or_used_twice_signs_nobody_in(
    signin_pwa: SignInPwa, browser: Visitor, idp: MockIdentityProvider
):
    _, email = await signin_pwa.person()
    idp.person(email)
    callback, _ = await through_the_provider(browser)
    victim = signin_pwa.visitor()
    assert (await victim.get(callback)).status_code == 400, "login CSRF: the state belongs to another browser"
    assert (await browser.get(callback)).status_code == 400, "the state was used up"


async def test_someone_without_an_account_is_told_to_ask_for_an_invitation(
    signin_pwa: SignInPwa, browser: Visitor, idp: MockIdentityProvider
):
    idp.person("stranger@example.org")
    callback, _ = await through_the_provider(browser)
    refused = await browser.get(callback)
    assert refused.status_code == 403 and "Ask your admin to invite you" in refused.text
