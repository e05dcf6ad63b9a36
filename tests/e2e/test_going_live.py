"""Going live without demo data, as a new organisation would, against `secpool up --no-demo`
from an empty data folder: the setup link makes the first admin, who adds the pool
"Secretariaat" and imports 30 people (5 secretaries, 1 lead); a secretary chooses her password
from the invite in the mail folder and sets her working hours; a staff member's request is
offered only to an on-shift, present secretary (never to the absent one, nor to those without
hours); disabling the secretary who holds the offer makes her cookie useless at once and the
offer goes to a colleague within seconds."""

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import asyncpg
import holidays
import httpx
import pytest

from pwa.mail import folder
from services.cli.children import free_port

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
PASSWORD = "een lange zin als wachtwoord"
WHOLE_DAY = {d: "0:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SECRETARIES = ["sanne", "sara", "sem", "saskia", "sofie"]


class Browser:
    """A person without JavaScript: cookies, the page's CSRF token, redirects by hand."""

    opened: ClassVar[list["Browser"]] = []

    def __init__(self, base: str, lang: str = "en") -> None:
        self.http = httpx.Client(base_url=base, headers={"accept": "text/html", "accept-language": lang}, timeout=20)
        self.http.cookies.set("secpool_lang", lang)
        Browser.opened.append(self)

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def post(self, path: str, form: dict[str, Any], *, token_from: str, files: Any = None) -> httpx.Response:
        page = self.http.get(token_from)
        found = CSRF_FIELD.search(page.text)
        assert found, f"no form on {token_from}: {page.status_code} {page.text[:200]}"
        return self.http.post(path, data={**form, "_csrf_token": found.group(1)}, files=files)


class Up:
    """`secpool up --no-demo` as a person starts it; its output is kept line by line."""

    def __init__(self, data_dir: Path, port: int, env: dict[str, str]) -> None:
        argv = [
            sys.executable,
            "-m",
            "services.cli.main",
            "up",
            "--no-demo",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def line_with(self, text: str, within: float) -> str:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for line in self.lines:
                if text in line:
                    return line
            assert self.proc.poll() is None, "secpool up stopped:\n" + "".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no line with {text!r} within {within} s:\n" + "".join(self.lines))


@pytest.fixture
def system(database_url: str, nats_url: str, tmp_path: Path) -> Iterator[tuple[Up, Path, str]]:
    data_dir, port = tmp_path / "data", free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url, "SECPOOL_COOKIE_SECURE": "0"}
    up = Up(data_dir, port, env)
    try:
        yield up, data_dir, f"http://127.0.0.1:{port}"
    finally:
        while Browser.opened:
            Browser.opened.pop().http.close()
        up.proc.terminate()
        up.proc.wait(60)
        if up.proc.stdout is not None:
            up.proc.stdout.close()


def wait_for(check: Any, within: float = 15.0, what: str = "") -> Any:
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"not within {within} s: {what() if callable(what) else what}"
        time.sleep(0.1)


def invite_link(data_dir: Path, email: str) -> str:
    def found() -> str | None:
        for mail in folder.listing(data_dir / "mail"):
            if email in mail.to and (m := re.search(r"http://[^\s]+(/password/[\w-]+)", mail.body)):
                return m.group(1)
        return None

    link: str = wait_for(found, what=f"an invite for {email} in the mail folder")
    return link


def choose_password(base: str, data_dir: Path, email: str, lang: str = "en") -> Browser:
    person = Browser(base, lang)
    link = invite_link(data_dir, email)
    chosen = person.post(link, {"password": PASSWORD, "password_again": PASSWORD}, token_from=link)
    assert chosen.status_code == 303, chosen.text[:300]
    return person


async def why(database_url: str, request_id: str) -> list[str]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT why, candidates::text AS c FROM routing.decisions WHERE request_id = $1", request_id
        )
        members = await conn.fetch("SELECT id, name, skills::text, languages, hours::text, active FROM routing.members")
        return [f"{r['why']} {r['c']}" for r in rows] + [str(dict(m)) for m in members]
    finally:
        await conn.close()


async def offers_of(database_url: str, request_id: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT member_id, status, reason FROM routing.offers WHERE request_id = $1", request_id
        )
        return [dict(r) for r in rows]
    finally:
        await conn.close()


def test_going_live_from_an_empty_data_folder(system: tuple[Up, Path, str], database_url: str) -> None:
    up, data_dir, base = system
    setup = up.line_with("First run: create the first admin at", within=90).split(" at ", 1)[1].split()[0]
    assert "/setup/" in setup
    setup_path = setup.removeprefix(base)

    admin = Browser(base)
    made = admin.post(
        setup_path,
        {"name": "Ada Admin", "email": "ada@example.org", "password": PASSWORD, "password_again": PASSWORD},
        token_from=setup_path,
    )
    assert made.status_code == 303 and made.headers["location"] == "/admin"
    assert Browser(base).get(setup_path).status_code == 404  # used up

    pool = admin.post(
        "/pools/",
        {"name_nl": "Secretariaat", "name_en": "Secretariat", "public_holidays": "NL"},
        token_from="/pools/new",
    )
    assert pool.status_code == 303 and pool.headers["location"].startswith("/pools/secretariaat")
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    if today in holidays.country_holidays("NL", years=today.year):  # the pool works today after all
        admin.post(f"/pools/secretariaat/holidays/{today.isoformat()}/remove", {}, token_from="/pools/secretariaat")

    rows = [f"{name}@example.org,{name.title()} Smit,secretary,Secretariaat,nl" for name in SECRETARIES]
    rows.append("lena@example.org,Lena Lead,lead;staff,Secretariaat,nl")
    rows += [f"staff{i}@example.org,Staff {i},staff,Secretariaat,nl" for i in range(24)]
    csv_text = "email,name,roles,pools,language\n" + "\n".join(rows) + "\n"
    checked = admin.post(
        "/admin/people/import",
        {"action": "check"},
        token_from="/admin/people/import",
        files={"file": ("people.csv", csv_text, "text/csv")},
    )
    assert checked.status_code == 200 and "30 new" in checked.text
    imported = admin.post(
        "/admin/people/import", {"action": "import", "csv_text": csv_text}, token_from="/admin/people/import"
    )
    assert imported.status_code == 303, imported.text[:500]
    (data_dir / "people.csv").write_text(csv_text)
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli.main",
            "people",
            "import",
            "--dry-run",
            "--data-dir",
            str(data_dir),
            str(data_dir / "people.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DATABASE_URL": ""},
    )
    assert "0 new, 0 changed, 30 unchanged" in again.stdout, again.stdout + again.stderr

    ids = {}
    for name in SECRETARIES:
        found = re.search(
            rf'href="/admin/people/([\w-]+)">\s*<span class="row-title"><span class="card__title">{name.title()} Smit<',
            admin.get(f"/admin/people?q={name}@").text,
        )
        assert found, name
        ids[name] = found.group(1)

    sanne = choose_password(base, data_dir, "sanne@example.org")
    wait_for(lambda: sanne.get(f"/members/{ids['sanne']}").status_code == 200, what="routing knows Sanne")
    assert (
        sanne.post(f"/members/{ids['sanne']}/hours", WHOLE_DAY, token_from=f"/members/{ids['sanne']}").status_code
        == 303
    )
    assert "On shift now" in sanne.get(f"/members/{ids['sanne']}").text
    # Sem works too (the admin sets his hours); Sara would, but she is absent today; the others set no hours yet.
    for name in ("sem", "sara"):
        wait_for(lambda name=name: admin.get(f"/members/{ids[name]}").status_code == 200, what=f"routing knows {name}")
        admin.post(f"/members/{ids[name]}/hours", WHOLE_DAY, token_from=f"/members/{ids[name]}")
    away = {"first_day": today.isoformat(), "last_day": today.isoformat()}
    assert admin.post(f"/members/{ids['sara']}/absences", away, token_from=f"/members/{ids['sara']}").status_code == 303

    lena = choose_password(base, data_dir, "lena@example.org")
    for name in ("sanne", "sara", "sem"):
        proposed = lena.post(
            "/pool/skill-proposals",
            {"member_id": ids[name], "skill": "correspondence", "level": "3"},
            token_from="/pool",
        )
        assert proposed.status_code == 303, proposed.text[:300]
    for confirm in re.findall(r'action="(/pool/skill-proposals/[^"]+/confirm)"', sanne.get("/pool").text):
        assert sanne.post(confirm, {}, token_from="/pool").status_code == 303
    letter = {
        "name_nl": "Brief",
        "name_en": "Letter",
        "skill": "correspondence",
        "min_level": "2",
        "language": "any",
        "pickup_minutes": "60",
        "complete_minutes": "480",
        "minutes_saved": "15",
        "work_minutes": "20",
    }
    assert lena.post("/lead/types/new", letter, token_from="/lead/types/new").status_code == 303

    staff = choose_password(base, data_dir, "staff3@example.org", "nl")  # a request in Dutch, as the members speak
    form = staff.get("/requests/new").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form)
    type_id = re.search(r'name="type_id" value="([^"]+)"', form)
    assert key and type_id, form[:500]
    sent = staff.post(
        "/requests",
        {
            "type_id": type_id.group(1),
            "description": "Een brief aan de huurders",
            "urgency": "normal",
            "idempotency_key": key.group(1),
        },
        token_from="/requests/new",
    )
    assert sent.status_code == 303, re.findall(r"field-error[^>]*>([^<]+)|banner--error[^>]*>([^<]+)", sent.text)
    request_id = sent.headers["location"].split("/requests/")[1].split("?")[0]

    on_shift = {ids["sanne"], ids["sem"]}
    offers = wait_for(
        lambda: [o for o in run(offers_of(database_url, request_id)) if o["status"] == "open"],
        what=lambda: f"an offer: {run(why(database_url, request_id))}",
    )
    assert len(offers) == 1 and offers[0]["member_id"] in on_shift
    holder = offers[0]["member_id"]
    other = (on_shift - {holder}).pop()

    holder_name = next(n for n, i in ids.items() if i == holder)
    holder_browser = sanne if holder_name == "sanne" else choose_password(base, data_dir, f"{holder_name}@example.org")
    assert holder_browser.get("/offers").status_code == 200
    disabled = admin.post(f"/admin/people/{holder}/disable", {}, token_from=f"/admin/people/{holder}")
    assert disabled.status_code == 303
    assert holder_browser.http.get("/offers").status_code in (302, 303)  # her cookie is useless at once

    def handed_on() -> list[dict[str, Any]]:
        found = run(offers_of(database_url, request_id))
        return found if any(o["member_id"] == other and o["status"] == "open" for o in found) else []

    found = wait_for(handed_on, within=10, what="the offer goes to a colleague")
    assert next(o for o in found if o["member_id"] == holder)["reason"] == "no longer in the pool"
    assert all(o["member_id"] in on_shift for o in found)  # never the absent one, nor those without hours

    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli.main",
            "admin",
            "create",
            "--email",
            "ops@example.org",
            "--name",
            "Ops",
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DATABASE_URL": ""},
    )
    link = re.search(r"(/password/[\w-]+)", created.stdout)
    assert created.returncode == 0 and link, created.stdout + created.stderr
    assert "Ops" in Browser(base).get(link.group(1)).text


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)
