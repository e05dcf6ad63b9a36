"""`secpool up`: the whole system on this machine — embedded PostgreSQL and NATS (unless
DATABASE_URL / NATS_URL are given), every service and the pwa as separate processes, demo
data on first run. Ctrl-C stops everything in order: web, services, NATS, PostgreSQL.
"""

import asyncio
import os
import secrets
import signal
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from services.cli import admin
from services.cli.children import Child, LaunchError, env_with, free_ports, http_ok, port_is_free, wait_until
from services.cli.embedded import EmbeddedNats, EmbeddedPostgres, ensure_database
from services.demo import organisation

SERVICES = ("intake", "routing", "recognition")
APPS = {
    "intake": "services.intake.app:create_app",
    "routing": "services.routing.app:create_app",
    "recognition": "services.recognition.app:create_app",
    "pwa": "pwa.app:create_app",
}


def service_child(name: str, port: int, env: Mapping[str, str], logs: Path, host: str = "127.0.0.1") -> Child:
    argv = [sys.executable, "-m", "uvicorn", "--factory", APPS[name], "--host", host, "--port", str(port),
            "--no-access-log", "--timeout-graceful-shutdown", "5"]  # fmt: skip
    return Child(name, argv, log_path=logs / f"{name}.log", env=env)


def token_secret(data_dir: Path) -> str:
    """Kept in the data folder so sessions and tokens survive a restart."""
    path = data_dir / "token-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Stack:
    """Everything `up` started, stopped in reverse order."""

    def __init__(self) -> None:
        self.children: list[Child] = []
        self.embedded: list[EmbeddedPostgres | EmbeddedNats] = []

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()
        for server in reversed(self.embedded):
            server.stop()


def run(data_dir: Path, port: int, host: str, demo: bool) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir = data_dir.resolve()
    if not port_is_free(port, host):
        raise LaunchError(f"port {port} is in use: stop what uses it, or run `secpool up --port N`")
    stack = Stack()
    stopping = False

    def on_signal(signum: int, _: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            print("Starting PostgreSQL (embedded) ...", flush=True)
            pg = EmbeddedPostgres(data_dir / "postgres")
            stack.embedded.append(pg)
            pg.start()
            database_url = asyncio.run(ensure_database(pg.url, "secpool"))
        nats_url = os.environ.get("NATS_URL")
        if not nats_url:
            print("Starting NATS (embedded) ...", flush=True)
            nats = EmbeddedNats(data_dir / "nats")
            stack.embedded.append(nats)
            nats.start()
            nats_url = nats.url
        ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
        public_url = os.environ.get("SECPOOL_PUBLIC_URL") or f"http://{_shown(host)}:{port}"
        env = env_with({
            "DATABASE_URL": database_url, "NATS_URL": nats_url, "SECPOOL_TOKEN_SECRET": token_secret(data_dir),
            "SECPOOL_DEMO": "1" if demo else "0", "SECPOOL_DATA_DIR": str(data_dir), "SECPOOL_PUBLIC_URL": public_url,
            **{f"SECPOOL_{name.upper()}_URL": f"http://127.0.0.1:{p}" for name, p in ports.items()},
        })  # fmt: skip
        logs = data_dir / "logs"
        print("Starting intake, routing, recognition and the web app ...", flush=True)
        for name, p in [*ports.items(), ("pwa", port)]:
            stack.children.append(service_child(name, p, env, logs, host if name == "pwa" else "127.0.0.1").start())
        for child, p in zip(stack.children, [*ports.values(), port], strict=True):
            child_host = host if child.name == "pwa" else "127.0.0.1"
            wait_until(_ready_check(child, p, child_host, lambda: stopping), 60, child.name)
        admin.write_run_file(data_dir, database_url, public_url)
        _banner(host, port, demo, data_dir)
        if (link := asyncio.run(admin.setup_link(database_url, public_url))) is not None:
            print(f"First run: create the first admin at {link} (works once, for 1 hour)", flush=True)
        while not stopping:
            for child in stack.children:
                if not child.alive():
                    print(
                        f"secpool: {child.name} stopped unexpectedly; last log lines:\n{child.tail()}", file=sys.stderr
                    )
                    return 1
            time.sleep(0.2)
        print("\nStopping secpool ...", flush=True)
        return 0
    finally:
        (data_dir / admin.RUN_FILE).unlink(missing_ok=True)
        stack.stop()
        signal.signal(signal.SIGINT, signal.SIG_DFL)


def _ready_check(child: Child, port: int, host: str, stopping: Callable[[], bool]) -> Callable[[], bool]:
    def check() -> bool:
        if stopping():
            raise LaunchError("stopped during start-up")
        if not child.alive():
            raise LaunchError(f"{child.name} failed to start: {child.tail(5)}")
        return http_ok(f"http://{host}:{port}/ready")

    return check


def _shown(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host


def _banner(host: str, port: int, demo: bool, data_dir: Path) -> None:
    shown = _shown(host)
    print(f"\nsecpool is running: open http://{shown}:{port}\n")
    if demo:
        org = organisation()
        print(f"Demo sign-ins (password for everyone: {org.password}):")
        for role in ("staff", "secretary", "lead", "admin"):
            people = [p for p in org.people if role in p.roles and (role != "staff" or len(p.roles) == 1)]
            print(f"  {role:<10} " + ", ".join(p.email for p in people[:3]))
    print(f"\nData and logs: {data_dir}   ·   Ctrl-C stops everything.", flush=True)
