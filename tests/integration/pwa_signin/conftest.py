"""The pwa in-process for sign-in tests (no services needed: signing in is the pwa's own), and
`Visitor`: one browser without JavaScript, keeping its cookies and sending each form's CSRF token."""

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pwa import accounts, limits, passwords
from pwa.app import create_app
from pwa.sign_in_config import SignInConfig
from services.platform import db
from services.platform.settings import Settings
from tests.support import new_id

PASSWORD = "correct horse battery staple"
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass
class Visitor:
    """One browser: its own cookies, swapped into the app's one test client for each request."""

    client: AsyncTestClient[Litestar]
    jar: httpx.Cookies = field(default_factory=httpx.Cookies)

    def csrf(self) -> str:
        return self.jar.get("csrftoken") or ""

    def cookie(self, name: str) -> str | None:
        return self.jar.get(name)

    def set_cookie(self, name: str, value: str) -> None:
        self.jar.set(name, value, domain="testserver.local")

    async def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.client.cookies = self.jar
        try:
            return await self.client.request(method, path, follow_redirects=False, **kwargs)
        finally:
            self.jar = httpx.Cookies(self.client.cookies)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.send("GET", path, headers={"accept": "text/html", "accept-language": "en"}, **kwargs)

    async def post(self, path: str, form: dict[str, Any] | None = None) -> httpx.Response:
        if not self.csrf():
            await self.get("/sign-in")
        return await self.send(
            "POST",
            path,
            data={**(form or {}), "_csrf_token": self.csrf()},
            headers={"accept": "text/html", "accept-language": "en"},
        )

    async def post_json(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        if not self.csrf():
            await self.get("/sign-in")
        return await self.send(
            "POST", path, json=body or {}, headers={"accept": "application/json", "x-csrf-token": self.csrf()}
        )

    async def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return await self.post("/sign-in", {"email": email, "password": password})

    async def follow(self, response: httpx.Response) -> httpx.Response:
        return await self.get(response.headers["location"])


@dataclass
class SignInPwa:
    app: Litestar
    client: AsyncTestClient[Litestar]
    database_url: str

    @contextlib.asynccontextmanager
    async def db(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await asyncpg.connect(self.database_url, server_settings={"search_path": "pwa"})
        await db.json_codec(conn)  # jsonb as the app's pool reads and writes it
        try:
            yield conn
        finally:
            await conn.close()

    def visitor(self) -> Visitor:
        """Another browser on the same app (its own cookies)."""
        return Visitor(self.client)

    async def person(self, *roles: str, password: str = PASSWORD) -> tuple[str, str]:
        """A new account with a password: (id, e-mail)."""
        account_id = new_id("acct-")
        email = f"{account_id}@example.org"
        stored = await passwords.hash_password(password)
        async with self.db() as conn:
            await accounts.upsert(
                conn,
                id=account_id,
                email=email,
                name=f"Person {account_id}",
                password_hash=stored,
                roles=list(roles or ("staff",)),
                pools=[],
                language="en",
            )
        return account_id, email

    async def audit_actions(self, subject_id: str) -> list[str]:
        async with self.db() as conn:
            rows = await conn.fetch("SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id", subject_id)
        return [r["action"] for r in rows]


@pytest.fixture
def sign_in_config() -> SignInConfig:
    return SignInConfig()


# The real limits, over a window long enough that a slow machine's ten tries all fall in it
# (the e2e test checks the one-minute window itself).
RATE_LIMITS = limits.Limits(sign_in_account=limits.Limit(name=limits.SIGN_IN_ACCOUNT.name, tries=10, seconds=600))


@pytest.fixture
async def signin_pwa(
    make_settings: Callable[..., Settings], tmp_path: Path, sign_in_config: SignInConfig
) -> AsyncIterator[SignInPwa]:
    settings = make_settings("pwa", data_dir=str(tmp_path / "data"))
    app = create_app(settings, sign_in=sign_in_config, rate_limits=RATE_LIMITS)
    async with AsyncTestClient(app=app) as client:
        yield SignInPwa(app=app, client=client, database_url=settings.database_url)


@pytest.fixture
def browser(signin_pwa: SignInPwa) -> Visitor:
    return Visitor(signin_pwa.client)
