"""Password sign-in against the real database: wrong tries are limited per account (the 11th
within a minute gets 429 with Retry-After and a page that says when), a right password signs in
and rotates the session, and sign-out clears the browser's data for the site."""

from tests.integration.pwa_signin.conftest import PASSWORD, RATE_LIMITS, SignInPwa, Visitor


async def test_the_eleventh_wrong_password_on_one_account_within_a_minute_gets_429(
    signin_pwa: SignInPwa, browser: Visitor
):
    account_id, email = await signin_pwa.person()
    for _ in range(10):
        assert (await browser.sign_in(email, "wrong")).status_code == 401
    refused = await browser.sign_in(email, "wrong")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 600
    assert "Too many tries" in refused.text
    # Even the right password waits: the limit is on the account, not on wrong answers.
    assert (await browser.sign_in(email, PASSWORD)).status_code == 429
    assert (await signin_pwa.audit_actions(account_id)).count("sign_in.failed") == 10
    assert "sign_in.limited" in await signin_pwa.audit_actions(account_id)


async def test_another_account_is_not_held_up_by_someone_elses_wrong_passwords(signin_pwa: SignInPwa, browser: Visitor):
    _, attacked = await signin_pwa.person()
    _, other = await signin_pwa.person()
    for _ in range(11):
        await browser.sign_in(attacked, "wrong")
    assert (await browser.sign_in(other, PASSWORD)).status_code == 303


async def test_a_right_password_signs_in_with_a_new_session_and_is_audited(signin_pwa: SignInPwa, browser: Visitor):
    account_id, email = await signin_pwa.person()
    await browser.get("/sign-in")
    browser.set_cookie("secpool", "planted-by-someone-else")
    signed_in = await browser.sign_in(email)
    assert signed_in.status_code == 303
    assert browser.cookie("secpool") not in (None, "planted-by-someone-else")
    assert (await browser.get("/settings/sign-in")).status_code == 200
    assert await signin_pwa.audit_actions(account_id) == ["sign_in"]


async def test_signing_out_ends_the_session_and_clears_the_site_data(signin_pwa: SignInPwa, browser: Visitor):
    _, email = await signin_pwa.person()
    await browser.sign_in(email)
    cookie = browser.cookie("secpool")
    out = await browser.post("/sign-out")
    assert out.status_code == 303
    assert out.headers["clear-site-data"] == '"cache", "cookies", "storage"'
    browser.set_cookie("secpool", cookie or "")
    assert (await browser.get("/settings")).status_code in (302, 303)


async def test_every_answer_carries_the_hardening_headers_even_a_404(signin_pwa: SignInPwa, browser: Visitor):
    for path in ("/sign-in", "/no-such-page", "/static/app.css", "/health"):
        page = await browser.get(path)
        assert page.headers["strict-transport-security"].startswith("max-age="), path
        assert page.headers["x-content-type-options"] == "nosniff", path
        assert page.headers["referrer-policy"] == "same-origin", path
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"], path


async def test_a_burst_of_kudos_past_the_limit_gets_a_429_page_with_retry_after(
    signin_pwa: SignInPwa, browser: Visitor
):
    _, email = await signin_pwa.person()
    await browser.sign_in(email)
    for _ in range(RATE_LIMITS.kudos.tries):
        assert (await browser.post("/wall/kudos", {"message": ""})).status_code == 422  # counted, then refused as empty
    refused = await browser.post("/wall/kudos", {"message": "thanks", "recipients": "someone"})
    assert refused.status_code == 429
    assert refused.headers["retry-after"].isdigit() and "Too many tries" in refused.text


async def test_password_reset_requests_are_limited_per_address_asked_for(signin_pwa: SignInPwa, browser: Visitor):
    _, email = await signin_pwa.person()
    for _ in range(5):
        assert (await browser.post("/password-reset", {"email": email})).status_code == 200
    refused = await browser.post("/password-reset", {"email": email})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert (await browser.post("/password-reset", {"email": f"other-{email}"})).status_code == 200
