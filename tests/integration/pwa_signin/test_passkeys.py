"""Passkeys with generated credentials (a software authenticator signing real ES256 assertions):
registration from the sign-in settings, then a sign-in without e-mail or password; refused
without user verification, from another origin, or with an answer replayed; a lead asked for a
second step can add a passkey instead of an authenticator app."""

from typing import Any
from urllib.parse import unquote

from pwa import sign_in_policy
from pwa.records import SignInPolicy
from tests.integration.pwa_signin.authenticator import SoftAuthenticator
from tests.integration.pwa_signin.conftest import SignInPwa, Visitor

ORIGIN = "http://testserver.local"


async def register(browser: Visitor, phone: SoftAuthenticator, next_path: str = "/") -> Any:
    asked = await browser.post_json("/settings/passkeys/options")
    assert asked.status_code == 201 or asked.status_code == 200, asked.text
    options = asked.json()
    assert options["publicKey"]["authenticatorSelection"]["userVerification"] == "required"
    assert options["publicKey"]["authenticatorSelection"]["residentKey"] == "required"
    return await browser.post_json(
        "/settings/passkeys",
        {
            "challenge": options["challenge"],
            "credential": phone.create(options["publicKey"]),
            "name": "My phone",
            "next": next_path,
        },
    )


async def sign_in_with(browser: Visitor, phone: SoftAuthenticator) -> tuple[Any, dict[str, Any]]:
    options = (await browser.post_json("/sign-in/passkey/options")).json()
    assert options["publicKey"]["userVerification"] == "required"
    answer = {"challenge": options["challenge"], "credential": phone.get(options["publicKey"]), "next": "/settings"}
    return await browser.post_json("/sign-in/passkey", answer), answer


async def test_a_passkey_is_added_and_then_signs_in_alone(signin_pwa: SignInPwa, browser: Visitor):
    account_id, email = await signin_pwa.person()
    await browser.sign_in(email)
    phone = SoftAuthenticator(ORIGIN)
    added = await register(browser, phone)
    assert added.status_code in (200, 201), added.text
    assert "My phone" in (await browser.get("/settings/sign-in")).text
    await browser.post("/sign-out")

    signed_in, answer = await sign_in_with(browser, phone)
    assert signed_in.status_code in (200, 201), signed_in.text
    assert unquote(signed_in.json()["next"]).endswith("/settings")  # through the first-run steps
    assert (await browser.get("/settings/sign-in")).status_code == 200
    async with signin_pwa.db() as conn:
        method = await conn.fetchval(
            "SELECT method FROM sessions WHERE account_id = $1 AND pending IS NULL", account_id
        )
        count = await conn.fetchval("SELECT sign_count FROM passkeys WHERE account_id = $1", account_id)
    assert method == "passkey" and count == 1
    assert await signin_pwa.audit_actions(account_id) == ["sign_in", "second_factor.added", "sign_in"]

    replayed = await browser.post_json("/sign-in/passkey", answer)
    assert replayed.status_code == 400, "a challenge answers once"


async def test_a_passkey_without_user_verification_or_from_another_site_is_refused(
    signin_pwa: SignInPwa, browser: Visitor
):
    _, email = await signin_pwa.person()
    await browser.sign_in(email)
    phone = SoftAuthenticator(ORIGIN)
    assert (await register(browser, phone)).status_code in (200, 201)
    await browser.post("/sign-out")

    phone.verifies_user = False
    refused, _ = await sign_in_with(browser, phone)
    assert refused.status_code == 400
    phone.verifies_user, phone.origin = True, "https://evil.example"
    refused, _ = await sign_in_with(browser, phone)
    assert refused.status_code == 400
    assert (await browser.get("/settings")).status_code in (302, 303)

    await browser.sign_in(email)
    careless = SoftAuthenticator(ORIGIN, verifies_user=False)
    assert (await register(browser, careless)).status_code == 400, "registration needs user verification too"


async def test_a_lead_asked_for_a_second_step_can_add_a_passkey(signin_pwa: SignInPwa, browser: Visitor):
    async with signin_pwa.db() as conn:
        await sign_in_policy.change(conn, SignInPolicy(strong_for_leads=True), by="test")
    lead_id, lead = await signin_pwa.person("lead")
    halfway = await browser.sign_in(lead)
    assert halfway.headers["location"].startswith("/sign-in/set-up")
    added = await register(browser, SoftAuthenticator(ORIGIN), next_path="/settings")
    assert added.status_code in (200, 201), added.text
    assert unquote(added.json()["next"]).endswith("/settings")
    assert (await browser.get("/settings")).status_code == 200
    async with signin_pwa.db() as conn:
        method = await conn.fetchval("SELECT method FROM sessions WHERE account_id = $1 AND pending IS NULL", lead_id)
    assert method == "password+passkey"
