"""Sessions: I see where I am signed in and can sign out there; idle and absolute timeouts (the
organisation's sign-in rules) end a session; an admin ends a person's sessions."""

from pwa import accounts, sign_in_policy
from pwa.records import SignInPolicy
from tests.integration.pwa_signin.conftest import SignInPwa, Visitor


async def test_i_see_my_sessions_and_can_sign_out_another_one(signin_pwa: SignInPwa, browser: Visitor):
    _, email = await signin_pwa.person()
    laptop = signin_pwa.visitor()
    await laptop.sign_in(email)
    await browser.sign_in(email)
    page = (await browser.get("/settings/sign-in")).text
    assert page.count('action="/settings/sessions/') == 1, "the other session can be ended, not this one"
    other = page.split('action="/settings/sessions/')[1].split("/end")[0]
    assert (await browser.post(f"/settings/sessions/{other}/end")).status_code == 303
    assert (await laptop.get("/settings")).status_code in (302, 303)
    assert (await browser.get("/settings")).status_code == 200


async def test_a_session_ends_after_the_idle_time_and_after_the_longest_time(signin_pwa: SignInPwa, browser: Visitor):
    account_id, email = await signin_pwa.person()
    async with signin_pwa.db() as conn:
        await sign_in_policy.change(conn, SignInPolicy(idle_minutes=60, absolute_hours=24), by="test")
    await browser.sign_in(email)
    assert (await browser.get("/settings")).status_code == 200
    async with signin_pwa.db() as conn:
        await conn.execute(
            "UPDATE sessions SET last_seen = now() - interval '61 minutes' WHERE account_id = $1", account_id
        )
    assert (await browser.get("/settings")).status_code in (302, 303), "idle too long"

    await browser.sign_in(email)
    async with signin_pwa.db() as conn:
        await conn.execute(
            "UPDATE sessions SET created_at = now() - interval '25 hours' WHERE account_id = $1", account_id
        )
    assert (await browser.get("/settings")).status_code in (302, 303), "in use, but older than a day"


async def test_an_admin_ends_a_persons_sessions_and_resets_their_second_step(signin_pwa: SignInPwa, browser: Visitor):
    person_id, email = await signin_pwa.person()
    _, admin_email = await signin_pwa.person("admin")
    phone = signin_pwa.visitor()
    await phone.sign_in(email)
    await browser.sign_in(admin_email)
    assert (await browser.post(f"/admin/people/{person_id}/sessions/end")).status_code == 303
    assert (await phone.get("/settings")).status_code in (302, 303)
    await phone.sign_in(email)
    assert (await phone.post(f"/admin/people/{person_id}/sessions/end")).status_code == 403, "admins only"
    assert (await browser.post(f"/admin/people/{person_id}/second-factor/reset")).status_code == 303
    assert (await phone.get("/settings")).status_code in (302, 303)
    audit = await browser.get(f"/admin/audit?person={person_id}")
    assert audit.status_code == 200
    assert "sessions ended" in audit.text and "second step reset by an admin" in audit.text
    assert (await browser.get("/admin/sign-in")).status_code == 200


async def test_using_a_session_writes_its_last_use_at_most_once_a_minute(signin_pwa: SignInPwa, browser: Visitor):
    account_id, email = await signin_pwa.person()
    await browser.sign_in(email)
    token = browser.cookie("secpool")
    assert token is not None
    async with signin_pwa.db() as conn:
        await conn.execute(
            "UPDATE sessions SET last_seen = now() - interval '2 minutes' WHERE account_id = $1", account_id
        )
        async with conn.transaction():
            assert (await accounts.account_for_session(conn, token)) is not None
            assert await conn.fetchval("SELECT txid_current_if_assigned()") is not None, "a stale last use is written"
        first = await conn.fetchval("SELECT last_seen FROM sessions WHERE account_id = $1", account_id)
        assert first > await conn.fetchval("SELECT now() - interval '5 seconds'")
        async with conn.transaction():
            assert (await accounts.account_for_session(conn, token)) is not None
            assert await conn.fetchval("SELECT txid_current_if_assigned()") is None, (
                "a use within the minute writes nothing"
            )
        assert await conn.fetchval("SELECT last_seen FROM sessions WHERE account_id = $1", account_id) == first
