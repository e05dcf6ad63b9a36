"""PostgreSQL roles: one login role per process, owning its own schema (the one
`services.platform.db.connect` gets) and reaching nothing else: no rights on the `public`
schema nor on another service's schema, only CONNECT on the database. `secpool up` makes the
passwords once, keeps them owner-only in the data folder and applies the statements from the
superuser's connection before it starts the processes; `secpool db roles` prints the same
statements for a PostgreSQL of one's own. Applying them again is harmless: it sets the kept
passwords and hands a schema made by an older version (owned by the superuser) to its role."""

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

# Each process's schema.
SCHEMAS = {"intake": "intake", "routing": "routing", "recognition": "recognition", "pwa": "pwa"}
PREFIX = "secpool_"
ROLES_FILE = "postgres-roles.json"


def role(service: str, prefix: str = PREFIX) -> str:
    return f"{prefix}{service}"


def passwords(data_dir: Path) -> dict[str, str]:
    """Each process's password, made once and kept (owner-only) in the data folder; a process
    missing from the file (removed to rotate it) gets a new one."""
    path = data_dir / ROLES_FILE
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if missing := [s for s in SCHEMAS if s not in known]:
        known |= {service: secrets.token_urlsafe(24) for service in missing}
        fresh = path.with_suffix(".new")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(known, out)
        fresh.replace(path)
    return known


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def statements(database: str, secrets_: Mapping[str, str], prefix: str = PREFIX) -> list[str]:
    """The SQL that gives each process its role (with its password from `secrets_`) and its
    schema, run by a superuser (or the database's owner with CREATEROLE) in `database`."""
    sql = [
        f"REVOKE ALL ON DATABASE {_ident(database)} FROM PUBLIC",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
    ]
    for service, schema in SCHEMAS.items():
        name = role(service, prefix)
        sql += [
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(name)}) THEN "
            f"CREATE ROLE {_ident(name)}; END IF; END $$",
            f"ALTER ROLE {_ident(name)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
            f"PASSWORD {_literal(secrets_[service])}",
            f"GRANT CONNECT ON DATABASE {_ident(database)} TO {_ident(name)}",
            f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)} AUTHORIZATION {_ident(name)}",
            f"ALTER SCHEMA {_ident(schema)} OWNER TO {_ident(name)}",
            f"REVOKE ALL ON SCHEMA {_ident(schema)} FROM PUBLIC",
            _hand_over(schema, name),
        ]
    return sql


def _hand_over(schema: str, name: str) -> str:
    """Ownership of everything already in the schema (tables, views, sequences of their own,
    functions, types) passes to its role: migrations alter what they made before."""
    return f"""DO $$
DECLARE
  item record;
  target regrole := {_literal(name)}::regrole;
  space regnamespace := {_literal(schema)}::regnamespace;
BEGIN
  FOR item IN SELECT c.oid::regclass AS it, c.relkind AS kind FROM pg_class c
      WHERE c.relnamespace = space AND c.relowner <> target AND c.relkind IN ('r', 'p', 'v', 'm') LOOP
    EXECUTE format('ALTER %s %s OWNER TO %s',
      CASE item.kind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, item.it, target);
  END LOOP;
  FOR item IN SELECT c.oid::regclass AS it FROM pg_class c
      WHERE c.relnamespace = space AND c.relowner <> target AND c.relkind = 'S'
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype IN ('a', 'i')) LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNER TO %s', item.it, target);
  END LOOP;
  FOR item IN SELECT p.oid::regprocedure AS it FROM pg_proc p
      WHERE p.pronamespace = space AND p.proowner <> target LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %s', item.it, target);
  END LOOP;
  FOR item IN SELECT t.oid::regtype AS it FROM pg_type t
      WHERE t.typnamespace = space AND t.typowner <> target AND t.typtype IN ('e', 'd', 'r')
        AND t.typelem = 0 LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %s', item.it, target);
  END LOOP;
END $$"""


async def apply(admin_url: str, secrets_: Mapping[str, str], prefix: str = PREFIX) -> None:
    """Run `statements` on the database of `admin_url`, a superuser's connection, in one
    transaction under an advisory lock (two launchers on one server do not race)."""
    database = urlsplit(admin_url).path.lstrip("/")
    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('secpool roles'))")
            for statement in statements(database, secrets_, prefix):
                await conn.execute(statement)
    finally:
        await conn.close()


def url_for(database_url: str, user: str, password: str) -> str:
    """`database_url` signing in as `user` with `password`."""
    parts = urlsplit(database_url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


def urls(database_url: str, secrets_: Mapping[str, str], prefix: str = PREFIX) -> dict[str, str]:
    """Each process's DATABASE_URL."""
    return {service: url_for(database_url, role(service, prefix), secrets_[service]) for service in SCHEMAS}
