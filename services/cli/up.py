"""`secpool up`: the whole system on this machine — embedded PostgreSQL and NATS (unless
DATABASE_URL / NATS_URL are given), every service and the pwa as separate processes, demo
data on first run. It supervises them: a process that dies is restarted with backoff (one
line says so), a crash loop stops everything with a clear message. `--cluster` runs three
clustered nats-server nodes (R3 streams) and two replicas of every process.
Ctrl-C stops everything in order: web, services, NATS, PostgreSQL.
"""

import asyncio
import os
import secrets
import signal
import socket
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from services.cli import keys, nats_users, pg_roles, run_file
from services.cli.children import Child, LaunchError, env_with, free_ports, http_ok, wait_until
from services.cli.embedded import EmbeddedNats, EmbeddedPostgres, ensure_database, wait_for_jetstream
from services.cli.forked import ForkedChild
from services.cli.supervise import CrashLoop, Supervised, Supervisor
from services.demo import organisation
from services.platform import tokens
from services.platform.settings import ConfigError, secret_setting

SERVICES = ("intake", "routing", "recognition")
APPS = {
    "intake": "services.intake.app:create_app",
    "routing": "services.routing.app:create_app",
    "recognition": "services.recognition.app:create_app",
    "pwa": "pwa.app:create_app",
}


def service_child(name: str, port: int, env: Mapping[str, str], logs: Path, host: str = "127.0.0.1") -> Child:
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        APPS[name],
        "--host",
        host,
        "--port",
        str(port),
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "5",
    ]
    return Child(name, argv, log_path=logs / f"{name}.log", env=env)


def serving_child(name: str, listening: socket.socket, env: Mapping[str, str], logs: Path, label: str) -> Child:
    """A process of `name` serving on the launcher's socket (shared by its replicas), forked
    from the process that loaded the libraries they all use (services.cli.forked)."""
    return ForkedChild(label, APPS[name], listening, log_path=logs / f"{label}.log", env=env)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket the launcher keeps for the whole run (restarts reuse it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise LaunchError(f"port {port} is in use: stop what uses it, or run `secpool up --port N`") from exc
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


# Settings that hold the pwa's signing key: never handed to a service (a process that could
# sign service tokens could act as anyone).
PRIVATE = ("SECPOOL_TOKEN_PRIVATE_KEY", "SECPOOL_TOKEN_PRIVATE_KEY_FILE", "SECPOOL_TOKEN_SECRET")
TOKEN_KEY = "token-key.pem"
METRICS_TOKEN = "metrics-token"


def token_key(data_dir: Path) -> Path:
    """The pwa's Ed25519 signing key, made once and kept (owner-only) in the data folder, so
    sessions survive a restart. The shared secret of older versions is removed."""
    path = data_dir / TOKEN_KEY
    if not path.exists():
        private, _ = tokens.new_key_pair()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(private)
    (data_dir / "token-secret").unlink(missing_ok=True)
    return path


def metrics_token(data_dir: Path) -> Path:
    """The bearer token /metrics answers to, made once and kept (owner-only) in the data folder."""
    path = data_dir / METRICS_TOKEN
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    return path


def child_envs(
    base: Mapping[str, str],
    data_dir: Path,
    nats_passwords: Mapping[str, str] | None = None,
    database_urls: Mapping[str, str] | None = None,
) -> dict[str, dict[str, str]]:
    """Each process's environment: the pwa gets the private key (as a file), the services only
    the public key, and none of the private-key settings the launcher itself was given; with
    the embedded NATS's users, each process its own NATS user in NATS_URL; with the embedded
    PostgreSQL's roles, each process its own role in DATABASE_URL."""
    given = {k: base[k] for k in PRIVATE[:2] if base.get(k)}
    shared = {
        k: v
        for k, v in base.items()
        if k not in PRIVATE and not k.startswith("SECPOOL_TOKEN_PUBLIC_KEY") and not _one_process_credential(k)
    }
    if not (base.get("SECPOOL_METRICS_TOKEN") or base.get("SECPOOL_METRICS_TOKEN_FILE")):
        shared["SECPOOL_METRICS_TOKEN_FILE"] = str(metrics_token(data_dir))
    pwa_keys = given or {"SECPOOL_TOKEN_PRIVATE_KEY_FILE": str(token_key(data_dir))}
    try:
        public = tokens.public_pem(tokens.private_key(secret_setting(pwa_keys, "SECPOOL_TOKEN_PRIVATE_KEY")))
    except (ValueError, ConfigError) as exc:
        raise LaunchError(f"SECPOOL_TOKEN_PRIVATE_KEY: {exc}") from exc
    public_keys = {"SECPOOL_TOKEN_PUBLIC_KEY": public}
    if not given:  # the data folder's keys (see services.cli.keys): rotated ones too, re-read by services
        public_keys = {"SECPOOL_TOKEN_PUBLIC_KEY_FILE": str(keys.public_keys_file(data_dir, public))}
        if "SECPOOL_WEB_SECRET" not in base:
            pwa_keys = {**pwa_keys, **keys.web_secret_env(data_dir)}
    envs = {name: {**shared, **public_keys} for name in SERVICES}
    envs["pwa"] = {**shared, **pwa_keys}
    if nats_passwords is not None:
        for name, env in envs.items():
            env["NATS_URL"] = nats_users.url_for(name, nats_passwords[name], base["NATS_URL"])
    if database_urls is not None:
        for name, env in envs.items():
            env["DATABASE_URL"] = database_urls[name]
    return envs


def _one_process_credential(key: str) -> bool:
    """A setting that holds one process's database or NATS credentials: no other process gets it."""
    return (key.startswith("SECPOOL_") and key.endswith(("_DATABASE_URL", "_DB_PASSWORD"))) or (
        key.startswith("SECPOOL_NATS_") and key.endswith("_PASSWORD")
    )


def run(data_dir: Path, port: int, host: str, demo: bool, cluster: bool = False) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir = data_dir.resolve()
    sockets = {"pwa": listen(host, port)}
    supervisor = Supervisor()
    stopping = False

    def on_signal(signum: int, _: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        database_url = os.environ.get("DATABASE_URL")
        database_urls: dict[str, str] | None = None
        if database_url:  # a PostgreSQL of one's own: one URL for all, or one per process (`secpool db roles`)
            database_urls = {n: os.environ.get(f"SECPOOL_{n.upper()}_DATABASE_URL") or database_url for n in APPS}
        else:
            print("Starting PostgreSQL (embedded) ...", flush=True)
            pg = EmbeddedPostgres(data_dir / "postgres")
            supervisor.add(Supervised("postgres", pg.spawn), start=False).adopt(pg.start().child)
            database_url = asyncio.run(ensure_database(pg.url, "secpool"))
            # One role per process, owning only its own schema (made here, by the superuser).
            roles = pg_roles.passwords(data_dir)
            asyncio.run(pg_roles.apply(database_url, roles))
            database_urls = pg_roles.urls(database_url, roles)
        nats_url = os.environ.get("NATS_URL")
        users: dict[str, str] | None = None
        if not nats_url:
            users = nats_users.passwords(data_dir)
            nodes = _nats_nodes(data_dir, cluster, nats_users.authorization(users))
            print(f"Starting NATS (embedded{', a cluster of 3' if cluster else ''}) ...", flush=True)
            for node in nodes:
                supervisor.add(Supervised(node.name, node.spawn), start=False).adopt(node.spawn())
            for node in nodes:
                wait_until(_nats_ready(node), 30, node.name)
            nats_url = ",".join(n.url for n in nodes)
            launcher = nats_users.url_for(nats_users.LAUNCHER, users[nats_users.LAUNCHER], nats_url)
            asyncio.run(wait_for_jetstream(launcher, within=60))
        for name in SERVICES:
            sockets[name] = listen("127.0.0.1", 0)
        public_url = os.environ.get("SECPOOL_PUBLIC_URL") or f"http://{_shown(host)}:{port}"
        env = env_with(
            {
                "DATABASE_URL": database_url,
                "NATS_URL": nats_url,
                "SECPOOL_DEMO": "1" if demo else "0",
                "SECPOOL_DATA_DIR": str(data_dir),
                "SECPOOL_PUBLIC_URL": public_url,
                "SECPOOL_STREAM_REPLICAS": "3" if cluster else os.environ.get("SECPOOL_STREAM_REPLICAS", "1"),
                **{f"SECPOOL_{n.upper()}_URL": f"http://127.0.0.1:{sockets[n].getsockname()[1]}" for n in SERVICES},
            }
        )
        envs = child_envs(env, data_dir, users, database_urls)
        logs = data_dir / "logs"
        print("Starting intake, routing, recognition and the web app ...", flush=True)
        started: list[tuple[Supervised, str]] = []
        for name in (*SERVICES, "pwa"):
            for replica in range(2 if cluster else 1):
                label = f"{name}-{replica + 1}" if cluster else name
                spawn = _spawner(name, sockets[name], envs[name], logs, label)
                started.append((supervisor.add(Supervised(label, spawn)), name))
        # Only now, while the processes start: the admin commands' module (it loads most of the
        # pwa) took most of the launcher's own start-up, before anything else could begin.
        from services.cli import admin

        for entry, name in started:
            url = f"http://{_shown(host) if name == 'pwa' else '127.0.0.1'}:{sockets[name].getsockname()[1]}/ready"
            wait_until(_ready_check(entry, url, lambda: stopping), 90, entry.name)
        # The admin commands work on the pwa's data: they sign in as the pwa.
        pwa_database_url = envs["pwa"]["DATABASE_URL"]
        run_file.write_run_file(data_dir, pwa_database_url, public_url)
        _banner(public_url, demo, data_dir)
        if (link := asyncio.run(admin.setup_link(pwa_database_url, public_url))) is not None:
            print(f"First run: create the first admin at {link} (works once, for 1 hour)", flush=True)
        while not stopping:
            supervisor.tick()
            time.sleep(0.2)
        print("\nStopping secpool ...", flush=True)
        return 0
    except CrashLoop as exc:
        print(f"secpool: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        (data_dir / run_file.RUN_FILE).unlink(missing_ok=True)
        supervisor.stop()
        for sock in sockets.values():
            sock.close()
        signal.signal(signal.SIGINT, signal.SIG_DFL)


def _nats_nodes(data_dir: Path, cluster: bool, authorization: str) -> list[EmbeddedNats]:
    if not cluster:
        return [EmbeddedNats(data_dir / "nats", authorization=authorization)]
    ports = free_ports(6)
    client, routes = ports[:3], ports[3:]
    return [
        EmbeddedNats(
            data_dir / f"nats-{i + 1}",
            port=client[i],
            name=f"nats-{i + 1}",
            cluster_port=routes[i],
            routes=tuple(p for j, p in enumerate(routes) if j != i),
            authorization=authorization,
        )
        for i in range(3)
    ]


def _spawner(
    name: str, listening: socket.socket, env: Mapping[str, str], logs: Path, label: str
) -> Callable[[], Child]:
    return lambda: serving_child(name, listening, env, logs, label).start()


def _nats_ready(node: EmbeddedNats) -> Callable[[], bool]:
    return lambda: _alive(node.child) and "Server is ready" in node.child_log()


def _alive(child: Child | None) -> bool:
    if child is not None and not child.alive():
        raise LaunchError(f"{child.name} stopped at start-up: {child.tail(3)}")
    return True


def _ready_check(entry: Supervised, url: str, stopping: Callable[[], bool]) -> Callable[[], bool]:
    def check() -> bool:
        if stopping():
            raise LaunchError("stopped during start-up")
        child = entry.child
        if child is None or not child.alive():
            raise LaunchError(f"{entry.name} failed to start: {child.tail(5) if child else ''}")
        return http_ok(url)

    return check


def _shown(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host


def _banner(public_url: str, demo: bool, data_dir: Path) -> None:
    """What `up` says once everything runs: the address people open (SECPOOL_PUBLIC_URL when it
    is behind an HTTPS proxy for phones, see deploy/Caddyfile) and the demo's sign-ins."""
    print(f"\nsecpool is running: open {public_url}\n")
    if demo:
        org = organisation()
        print(f"Demo sign-ins (password for everyone: {org.password}):")
        for role in ("staff", "secretary", "lead", "admin"):
            people = [p for p in org.people if role in p.roles and (role != "staff" or len(p.roles) == 1)]
            print(f"  {role:<10} " + ", ".join(p.email for p in people[:3]))
    if not (os.environ.get("SECPOOL_METRICS_TOKEN") or os.environ.get("SECPOOL_METRICS_TOKEN_FILE")):
        print(f"\nMetrics: /metrics with `Authorization: Bearer <the token in {data_dir / METRICS_TOKEN}>`")
    print(f"\nData and logs: {data_dir}   ·   Ctrl-C stops everything.", flush=True)
