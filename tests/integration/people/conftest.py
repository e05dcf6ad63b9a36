"""The pwa in-process with no demo data and its mail written to a folder: for first-run links,
people, pools and imports, driven like a browser (session cookie, CSRF token)."""

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import nats
import pytest
from litestar.testing import AsyncTestClient
from nats.js import JetStreamContext

from pwa.app import create_app
from pwa.mail import folder
from pwa.mail.config import MailConfig
from services.platform import db
from services.platform.settings import Settings
from tests.support import eventually

LINK = re.compile(r"http://pool\.test(/[\w/-]+)")
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
URL = "http://pool.test"


@dataclass
class Org:
    client: AsyncTestClient[Any]
    database_url: str
    mail_folder: Path
    js: JetStreamContext

    @contextlib.asynccontextmanager
    async def db(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await asyncpg.connect(self.database_url, server_settings={"search_path": "pwa"})
        await db.json_codec(conn)  # jsonb as the app's pool reads and writes it
        try:
            yield conn
        finally:
            await conn.close()

    async def form(self, path: str, data: dict[str, Any], *, token_from: str) -> Any:
        page = await self.client.get(token_from)
        found = CSRF_FIELD.search(page.text)
        assert found, f"no form on {token_from}: {page.status_code}"
        return await self.client.post(path, data={**data, "_csrf_token": found.group(1)}, follow_redirects=False)

    async def mail_to(self, address: str, *, count: int = 1) -> list[folder.FolderMail]:
        """The messages written to the mail folder for this address (waits for `count`)."""

        async def found() -> list[folder.FolderMail]:
            return [m for m in folder.listing(self.mail_folder) if address in m.to]

        return await eventually(found, lambda ms: len(ms) >= count, within=10)

    async def link_in_mail(self, address: str) -> str:
        mail = (await self.mail_to(address))[0]
        found = LINK.search(mail.body)
        assert found, mail.body
        return found.group(1)


@pytest.fixture
async def org(make_settings: Callable[..., Settings], tmp_path: Path, nats_url: str) -> AsyncIterator[Org]:
    settings = make_settings("pwa", data_dir=str(tmp_path / "data"))
    mail = MailConfig(public_url=URL, folder=tmp_path / "data" / "mail")
    app = create_app(settings, mail_config=mail)
    nc = await nats.connect(nats_url)
    try:
        async with AsyncTestClient(app=app, base_url="http://pool.test") as client:
            client.headers["accept"] = "text/html"
            client.headers["accept-language"] = "en"
            yield Org(client=client, database_url=settings.database_url, mail_folder=mail.folder, js=nc.jetstream())
    finally:
        await nc.close()
