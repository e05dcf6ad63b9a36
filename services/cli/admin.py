"""`secpool admin create` and `secpool people import`, and the first-run setup link of
`secpool up --no-demo`: commands on the running system's data, found through DATABASE_URL or
the data folder's `run.json` (written by `secpool up` while it runs)."""

import asyncio
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg

from pwa import audit, links
from pwa.people import changes, csv_file, importer, rules, store
from pwa.people.rules import PersonFields
from services.cli.children import LaunchError
from services.platform import db, outbox


async def _connect(database_url: str) -> "asyncpg.Connection[Any]":
    try:
        conn: asyncpg.Connection[Any] = await asyncpg.connect(database_url, server_settings={"search_path": "pwa"})
        await db.json_codec(conn)  # the pwa's stores write jsonb as values (audit details)
    except (OSError, asyncpg.PostgresError) as exc:
        raise LaunchError(f"cannot reach the database ({exc}): is `secpool up` running?") from exc
    if not await conn.fetchval("SELECT to_regclass('pwa.one_time_links') IS NOT NULL"):
        await conn.close()
        raise LaunchError("the web app has not set up its database yet: wait for `secpool up` to say it is running")
    return conn


async def setup_link(database_url: str, url: str) -> str | None:
    """A one-time first-admin link while no admin exists (None once one does)."""
    conn = await _connect(database_url)
    try:
        async with conn.transaction():
            if await store.count_admins(conn) > 0:
                return None
            token = await links.issue(conn, "setup", links.SETUP_TTL)
        return f"{url}/setup/{token}"
    finally:
        await conn.close()


async def create_admin(database_url: str, url: str, email: str, name: str) -> str:
    """An admin account (or the admin role for an existing one) and a one-time set-password link."""
    person = PersonFields(email=rules.normal_email(email), name=name.strip(), roles=("admin",), pools=())
    if wrong := rules.problems(person, []):
        raise LaunchError("; ".join(p.text for p in wrong))
    conn = await _connect(database_url)
    try:
        async with conn.transaction():
            existing = await store.by_email(conn, person.email)
            if existing is None:
                account_id = str(uuid.uuid4())
                await store.create_many(conn, [(account_id, person)])
                await outbox.add(conn, changes.created_event(account_id, person))
            else:
                account_id = existing.id
                now = existing.fields()
                roles = tuple(dict.fromkeys((*now.roles, "admin")))
                upgraded = PersonFields(
                    email=now.email, name=now.name, roles=roles, pools=now.pools, language=now.language
                )
                versions = await store.update_many(conn, [(account_id, upgraded)])
                await outbox.add(conn, changes.updated_event(account_id, upgraded, versions[account_id]))
            token = await links.issue(conn, "password", links.SETUP_TTL, account_id)
            await links.retire_setup(conn)
            await audit.record(
                conn,
                "admin.created",
                actor_id=None,
                subject_id=account_id,
                detail={"email": person.email, "via": "secpool admin create"},
            )
        return f"{url}/password/{token}"
    finally:
        await conn.close()


def read_csv(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LaunchError(f"cannot read {path}: {exc}") from exc


async def import_people(
    database_url: str, url: str, path: Path, text: str, *, dry_run: bool, say: Callable[[str], None]
) -> int:
    """Check the whole file (every bad line named, nothing imported), then import it in one go."""
    conn = await _connect(database_url)
    try:
        lookup = rules.pool_lookup((p.id, p.name_nl, p.name_en) for p in await store.pools(conn))
        lines, problems = csv_file.parse(text, lookup)
        if problems:
            for p in problems:
                say(f"{path.name}:{p.number}: {p.text}")
            say(f"Nothing imported: {len({p.number for p in problems})} bad line(s).")
            return 1
        found = csv_file.changes(lines, await importer.existing(conn, [line.person.email for line in lines]))
        kinds = [c.kind for c in found]
        summary = f"{kinds.count('create')} new, {kinds.count('update')} changed, {kinds.count('unchanged')} unchanged"
        if dry_run:
            for c in found:
                if c.kind != "unchanged":
                    detail = "new" if c.kind == "create" else "changes " + ", ".join(c.fields)
                    say(f"  {c.person.email}: {detail}")
            say(f"Dry run: {summary}. Nothing was changed.")
            return 0

        def progress(done: int, total: int) -> None:
            say(f"  {done}/{total} imported")

        async with conn.transaction():
            await importer.apply(conn, found, actor_id=None, inviter="secpool", public_url=url, progress=progress)
        say(f"Imported: {summary}. New people get an invitation by e-mail.")
        return 0
    finally:
        await conn.close()


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def say(line: str) -> None:
    print(line, flush=True, file=sys.stdout)
