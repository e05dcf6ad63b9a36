"""First run without demo data: the one-time setup link makes the first admin and then dies;
an invite e-mails a one-time link to choose a password; disabling ends every session at once;
a password reset is e-mailed, works once and ends the other sessions. Every change is announced
on the IDENTITY stream and written to the audit log."""

import contextlib

from services.cli import admin
from tests.integration.people.conftest import URL, Org
from tests.support import eventually

PASSWORD = "een lange zin als wachtwoord"


async def first_admin(org: Org) -> str:
    link = await admin.setup_link(org.database_url, URL)
    assert link is not None and link.startswith(f"{URL}/setup/")
    path = link.removeprefix(URL)
    form = {"name": "Ada Admin", "email": "ada@example.org", "password": PASSWORD, "password_again": PASSWORD}
    made = await org.form(path, form, token_from=path)
    assert made.status_code == 303 and made.headers["location"] == "/admin"
    return path


async def test_the_setup_link_makes_the_first_admin_once_and_then_nothing_opens_setup(org: Org):
    assert (await org.client.get("/setup/")).status_code == 404
    path = await first_admin(org)
    assert (await org.client.get("/admin/people")).status_code == 200  # signed in as the admin
    assert (await org.client.get(path)).status_code == 404  # used up
    assert await admin.setup_link(org.database_url, URL) is None  # an admin exists: no new link
    async with org.db() as conn:
        assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE action = 'admin.created'") == 1


async def test_a_wrong_setup_link_is_404_and_a_short_password_is_refused(org: Org):
    assert (await org.client.get("/setup/not-a-token")).status_code == 404
    path = (await admin.setup_link(org.database_url, URL) or "").removeprefix(URL)
    form = {"name": "Ada", "email": "ada@example.org", "password": "short", "password_again": "short"}
    refused = await org.form(path, form, token_from=path)
    assert refused.status_code == 422 and "at least 10 characters" in refused.text
    assert (await org.client.get(path)).status_code == 200  # still usable


async def test_an_invited_person_chooses_a_password_from_the_mail_and_disabling_ends_her_session(org: Org):
    await first_admin(org)
    pool = {"name_nl": "Secretariaat", "name_en": "Secretariat", "public_holidays": "NL"}
    assert (
        (await org.form("/pools/", pool, token_from="/pools/new")).headers["location"].startswith("/pools/secretariaat")
    )
    invite = {
        "name": "Sanne de Vries",
        "email": "sanne@example.org",
        "language": "nl",
        "roles": ["secretary"],
        "pools": ["secretariaat"],
    }
    invited = await org.form("/admin/people", invite, token_from="/admin/people/new")
    assert invited.status_code == 303
    person_page = invited.headers["location"].split("?")[0]
    twice = await org.form("/admin/people", invite, token_from="/admin/people/new")
    assert twice.status_code == 422 and 'id="email-error"' in twice.text

    link = await org.link_in_mail("sanne@example.org")
    admin_cookies = dict(org.client.cookies)
    org.client.cookies.clear()
    assert "Sanne de Vries" in (await org.client.get(link)).text
    chosen = await org.form(link, {"password": PASSWORD, "password_again": PASSWORD}, token_from=link)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/offers"
    assert (await org.client.get("/offers")).status_code == 200
    assert (await org.client.get(link)).status_code == 404  # the link worked once
    sanne_cookies = dict(org.client.cookies)

    org.client.cookies.clear()
    org.client.cookies.update(admin_cookies)
    assert (await org.form(f"{person_page}/disable", {}, token_from=person_page)).status_code == 303
    org.client.cookies.clear()
    org.client.cookies.update(sanne_cookies)
    assert (await org.client.get("/offers", follow_redirects=False)).headers["location"].startswith("/sign-in")
    signin = await org.form("/sign-in", {"email": "sanne@example.org", "password": PASSWORD}, token_from="/sign-in")
    assert signin.status_code == 401

    subjects = []
    sub = await org.js.pull_subscribe("secpool.identity.>", durable=None, stream="IDENTITY")

    async def announced() -> list[str]:
        with contextlib.suppress(TimeoutError):
            subjects.extend(m.subject for m in await sub.fetch(20, timeout=0.5))
        return subjects

    await eventually(announced, lambda s: "secpool.identity.account.disabled" in s, within=10)
    assert {"secpool.identity.pool.created", "secpool.identity.account.created"} <= set(subjects)


async def test_a_password_reset_link_is_mailed_works_once_and_ends_other_sessions(org: Org):
    await first_admin(org)
    other_device = dict(org.client.cookies)
    org.client.cookies.clear()
    answer = await org.form("/password-reset", {"email": "ada@example.org"}, token_from="/password-reset")
    unknown = await org.form("/password-reset", {"email": "nobody@example.org"}, token_from="/password-reset")
    assert answer.status_code == unknown.status_code == 200 and "on its way" in unknown.text
    link = await org.link_in_mail("ada@example.org")
    new = "een nog langere zin als wachtwoord"
    assert (await org.form(link, {"password": new, "password_again": new}, token_from=link)).status_code == 303
    assert (await org.client.get(link)).status_code == 404
    org.client.cookies.clear()
    org.client.cookies.update(other_device)
    assert (await org.client.get("/admin/people", follow_redirects=False)).status_code in (302, 303)
