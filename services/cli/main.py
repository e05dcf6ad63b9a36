"""Entry point of the `secpool` command."""

import argparse
import sys
from pathlib import Path

from services.cli.children import LaunchError


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulate"]:
        from services.simulation.cli import main as simulate

        return simulate(argv[1:])
    parser = argparse.ArgumentParser(prog="secpool", description="A secretary pool that works.")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="run the whole system on this machine")
    up.add_argument("--data-dir", type=Path, default=Path(".secpool"), help="where data and logs live")
    up.add_argument("--port", type=int, default=8000, help="the web app's port (default 8000)")
    up.add_argument("--host", default="127.0.0.1", help="the web app's address (default 127.0.0.1)")
    up.add_argument("--no-demo", action="store_true", help="do not load the demo organisation")
    up.add_argument(
        "--cluster", action="store_true", help="3 clustered NATS nodes (R3 streams) and two replicas of every process"
    )
    bench = commands.add_parser("bench", help="measure throughput, latency and costs against the floor (see --help)")
    bench.add_argument("--quick", action="store_true", help="a short ladder (about 3 minutes on 2 cores)")
    bench.add_argument("--json", type=Path, help="write every figure as JSON to this file")
    bench.add_argument("--plot", type=Path, help="latency-against-rate plot (PNG; default: next to --json)")
    bench.add_argument("--seconds", type=float, help="seconds of load per rate")
    bench.add_argument("--rates", type=float, nargs="+", help="the ladder of request rates per second")
    bench.add_argument(
        "--rest", type=float, help="seconds at rest before the idle stack is measured (default: until pools shrink)"
    )
    bench.add_argument("--pages", action="store_true", help="bytes and render time of the main screens instead")
    bench.add_argument("--sse", type=int, metavar="N", help="one event to N SSE clients instead")
    commands.add_parser("simulate", help="compare routing policies on a trace (see --help)", add_help=False)
    admin = commands.add_parser("admin", help="admin accounts of the running system")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_commands.add_parser("create", help="create an admin; prints a one-time set-password link")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--data-dir", type=Path, default=Path(".secpool"), help="the running system's data folder")
    keys = commands.add_parser("keys", help="the service-token signing keys in the data folder")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_commands.add_parser(
        "rotate", help="make a new signing key; the old one is still accepted for --overlap seconds"
    )
    rotate.add_argument("--data-dir", type=Path, default=Path(".secpool"), help="the system's data folder")
    rotate.add_argument(
        "--overlap",
        type=float,
        default=3600.0,
        help="seconds the old public key stays accepted (default 3600; tokens live 60 s; 0 after a leak)",
    )
    people = commands.add_parser("people", help="people of the running system")
    people_commands = people.add_subparsers(dest="people_command", required=True)
    load = people_commands.add_parser("import", help="import people from a CSV: email,name,roles,pools,language")
    load.add_argument("file", type=Path)
    load.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    load.add_argument("--data-dir", type=Path, default=Path(".secpool"), help="the running system's data folder")
    database = commands.add_parser("db", help="the database of a PostgreSQL of your own")
    db_commands = database.add_subparsers(dest="db_command", required=True)
    roles = db_commands.add_parser(
        "roles",
        help="one role per process, limited to its own schema: print the SQL, or --apply it with DATABASE_URL "
        "(a superuser's); passwords from SECPOOL_<PROCESS>_DB_PASSWORD or made once in the data folder",
    )
    roles.add_argument("--apply", action="store_true", help="run it on DATABASE_URL instead of printing it")
    roles.add_argument("--data-dir", type=Path, default=Path(".secpool"), help="where made passwords are kept")
    args = parser.parse_args(argv)
    try:
        if args.command == "db":
            return _db_roles(args.data_dir, args.apply)
        if args.command == "admin":
            return _admin_create(args.data_dir, args.email, args.name)
        if args.command == "keys":
            return _keys_rotate(args.data_dir, args.overlap)
        if args.command == "people":
            return _people_import(args.data_dir, args.file, args.dry_run)
        if args.command == "bench":
            from services.cli.bench_main import bench as run_bench

            return run_bench(args)
        from services.cli.up import run

        return run(args.data_dir, args.port, args.host, demo=not args.no_demo, cluster=args.cluster)
    except LaunchError as exc:
        print(f"secpool: {exc}", file=sys.stderr)
        return 1


def _admin_create(data_dir: Path, email: str, name: str) -> int:
    from services.cli import admin, run_file

    database_url, url = run_file.running(data_dir)
    link = admin.run(admin.create_admin(database_url, url, email, name))
    print(f"Admin {email}: choose a password within an hour at {link}")
    return 0


def _keys_rotate(data_dir: Path, overlap: float) -> int:
    from datetime import timedelta

    from services.cli import keys

    try:
        new, old, until = keys.rotate(data_dir, timedelta(seconds=overlap))
    except keys.NoKey as exc:
        raise LaunchError(str(exc)) from exc
    print(f"New signing key {new}; the old key {old} is accepted until {until.isoformat(timespec='seconds')}.")
    print("A running secpool up switches within seconds; elsewhere roll out the services, then the pwa.")
    return 0


def _db_roles(data_dir: Path, apply: bool) -> int:
    import asyncio
    import os
    from urllib.parse import urlsplit

    from services.cli import pg_roles

    given = {s: os.environ.get(f"SECPOOL_{s.upper()}_DB_PASSWORD", "") for s in pg_roles.SCHEMAS}
    if all(given.values()):
        passwords = given
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        passwords = {s: given[s] or made for s, made in pg_roles.passwords(data_dir).items()}
    database_url = os.environ.get("DATABASE_URL", "")
    if apply:
        if not database_url:
            raise LaunchError("set DATABASE_URL to a superuser's connection to the database")
        asyncio.run(pg_roles.apply(database_url, passwords))
        print("Roles ready: " + ", ".join(pg_roles.role(s) for s in pg_roles.SCHEMAS))
        return 0
    name = urlsplit(database_url).path.lstrip("/") or "secpool"
    for statement in pg_roles.statements(name, passwords):
        print(statement + ";")
    print("\n-- Then give each process its own DATABASE_URL:")
    base = database_url or f"postgresql://HOST:5432/{name}"
    for service, url in pg_roles.urls(base, passwords).items():
        print(f"-- SECPOOL_{service.upper()}_DATABASE_URL={url}")
    return 0


def _people_import(data_dir: Path, file: Path, dry_run: bool) -> int:
    from services.cli import admin, run_file

    database_url, url = run_file.running(data_dir)
    text = admin.read_csv(file)
    result: int = admin.run(admin.import_people(database_url, url, file, text, dry_run=dry_run, say=admin.say))
    return result


if __name__ == "__main__":
    sys.exit(main())
