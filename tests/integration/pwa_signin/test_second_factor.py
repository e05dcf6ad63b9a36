"""TOTP as a second step: enrolment from the settings with a QR code rendered on the server (an
SVG, no script), a password sign-in that then asks for the code, a replayed code refused, and an
organisation that makes leads and admins set one up before they get in."""

import re
import time

import pyotp

from pwa import sign_in_policy
from pwa.records import SignInPolicy
from tests.integration.pwa_signin.conftest import SignInPwa, Visitor


async def enrol_totp(browser: Visitor, path: str = "/settings/sign-in/totp", action: str = "") -> str:
    """Scan the QR code (read the key shown beside it) and confirm with the current code."""
    page = await browser.get(path)
    assert page.status_code == 200, page.text[:300]
    assert re.search(r'<svg[^>]*class="qr-code"', page.text), "the QR code is an inline SVG"
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    setup = re.search(r'name="setup" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = await browser.post(action or path, {"setup": setup, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303, done.text[:300]
    return secret


def next_code(secret: str) -> str:
    """The code of the next time step (this step's was used to confirm the set-up)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


async def test_totp_enrolment_then_a_password_sign_in_asks_for_the_code(signin_pwa: SignInPwa, browser: Visitor):
    account_id, email = await signin_pwa.person()
    await browser.sign_in(email)
    secret = await enrol_totp(browser)
    assert "On: after your password" in (await browser.get("/settings/sign-in")).text
    await browser.post("/sign-out")

    halfway = await browser.sign_in(email)
    assert halfway.headers["location"].startswith("/sign-in/code")
    assert (await browser.get("/settings")).status_code in (302, 303), "a password alone does not sign in"
    assert "authenticator app" in (await browser.follow(halfway)).text
    wrong = await browser.post("/sign-in/code", {"code": "000000"})
    assert wrong.status_code == 401
    right = await browser.post("/sign-in/code", {"code": next_code(secret)})
    assert right.status_code == 303
    assert (await browser.get("/settings/sign-in")).status_code == 200
    assert "second_factor.added" in await signin_pwa.audit_actions(account_id)

    await browser.post("/sign-out")
    await browser.sign_in(email)
    replayed = await browser.post("/sign-in/code", {"code": next_code(secret)})
    assert replayed.status_code == 401, "a code is good for one sign-in only"


async def test_leads_must_set_up_a_second_step_when_the_organisation_asks(signin_pwa: SignInPwa, browser: Visitor):
    async with signin_pwa.db() as conn:
        await sign_in_policy.change(conn, SignInPolicy(strong_for_leads=True), by="test")
    _, staff = await signin_pwa.person("staff")
    lead_id, lead = await signin_pwa.person("lead")

    assert (await browser.sign_in(staff)).headers["location"] != "/sign-in/set-up", "staff are not asked"
    await browser.post("/sign-out")

    halfway = await browser.sign_in(lead)
    assert halfway.headers["location"].startswith("/sign-in/set-up")
    assert (await browser.get("/requests")).status_code in (302, 303), "not in before the second step is set up"
    await enrol_totp(browser, halfway.headers["location"], "/sign-in/set-up")
    assert (await browser.get("/settings/sign-in")).status_code == 200
    async with signin_pwa.db() as conn:
        method = await conn.fetchval("SELECT method FROM sessions WHERE account_id = $1 AND pending IS NULL", lead_id)
    assert method == "password+totp"
