"""Fixtures for real infrastructure: a PostgreSQL server for the session (a fresh database
per test) and a fresh NATS JetStream per test. Given DATABASE_URL / NATS_URL they use those
servers instead of the embedded ones (NATS: secpool's streams are deleted before each test).
"""

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import nats
import pytest
from hypothesis import settings
from nats.js.errors import NotFoundError

from services.cli.embedded import EmbeddedNats, EmbeddedPostgres
from services.contracts.streams import STREAMS
from services.platform.settings import Settings
from tests.support import METRICS_TOKEN, PRIVATE_KEY, PUBLIC_KEY, SECRET, close_conn, close_nats

# Every teardown is bounded, also after pytest-timeout fired during the test.
pytest_plugins = ["tests.teardown_watch"]

# Property tests: no per-example deadline (a shared machine's pauses are not failures) and no
# example database written into the repository.
settings.register_profile("secpool", deadline=None, database=None)
settings.load_profile("secpool")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (the default, in pyproject.toml): two workers, each with its own embedded
    PostgreSQL and NATS, as many as CI's cores; most tests wait on their services, so two halve
    the time. One on a given NATS, whose streams every test deletes: two would delete each other's."""
    return 1 if os.environ.get("NATS_URL") else 2


def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders of this run in a folder of its own. pytest's shared default
    (/tmp/pytest-of-<user>) is closed to other users by every new pytest run, and the embedded
    PostgreSQL runs as its own user: a second run on the machine would lock it out mid-run."""
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="secpool-tests-")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("DATABASE_URL")
    if given:
        yield given
        return
    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg"), fast_unsafe=True).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
async def database_url(pg_server_url: str) -> AsyncIterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(pg_server_url, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"', timeout=30)
    finally:
        await close_conn(admin)
    base, _, _ = pg_server_url.rpartition("/")
    yield f"{base}/{name}"
    admin = await asyncpg.connect(pg_server_url, timeout=10)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', timeout=30)
    finally:
        await close_conn(admin)


@pytest.fixture
async def nats_url(tmp_path: Path) -> AsyncIterator[str]:
    given = os.environ.get("NATS_URL")
    if given:
        nc = await nats.connect(given)
        js = nc.jetstream()
        for stream in STREAMS:
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(stream)
        await close_nats(nc)
        yield given
        return
    # No fsync per write in tests (like postgres' fast_unsafe): they need no power-cut safety.
    server = EmbeddedNats(tmp_path / "nats", sync_always=False).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def make_settings(database_url: str, nats_url: str) -> Callable[..., Settings]:
    """Settings for one service on this test's database and NATS: the pwa holds the token
    signing key, a service only the public key (as `secpool up` gives them)."""

    def make(service: str, **overrides: object) -> Settings:
        keys = {"token_private_key": PRIVATE_KEY, "web_secret": SECRET} if service == "pwa" else {}
        values: dict[str, object] = {
            "service": service,
            "database_url": database_url,
            "nats_url": nats_url,
            "token_public_key": PUBLIC_KEY,
            "metrics_token": METRICS_TOKEN,
            **keys,
            "cookie_secure": False,
            **overrides,
        }
        return Settings(**values)  # type: ignore[arg-type]

    return make
