"""The processes `secpool bench` measures, started as `secpool up` starts them: embedded
PostgreSQL (with pg_stat_statements loaded) and NATS (with its monitoring port), or the
servers DATABASE_URL / NATS_URL name; intake, routing, recognition and the pwa on the demo
organisation; the fake push service; and the floor's two processes. Also what the bench reads
from them: CPU time and memory per process, statements, transactions and NATS messages.
"""

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
import psutil

from services.cli import bench_floor, bench_store, pg_roles
from services.cli.children import Child, env_with, free_port, free_ports, http_ok, wait_until
from services.cli.embedded import EmbeddedNats, EmbeddedPostgres, ensure_database
from services.cli.up import SERVICES, listen, serving_child
from services.platform import tokens

Say = Callable[[str], None]
Check = Callable[[], bool]
APPS = (*SERVICES, "pwa")
# As under `secpool up`, the apps are forked from a server that loaded their libraries once
# (services.cli.forked); it and its resource tracker count as secpool's.
FORK_SERVER = "fork-server"
SECPOOL = (*APPS, FORK_SERVER)
FLOOR = ("floor-web", "floor-worker")
SHARED = ("postgres", "nats")
# pg_stat_statements counts the statements clients send (its default, "top": not those a
# trigger or function runs inside them), BEGIN and COMMIT included.
PG_SETTINGS = {"shared_preload_libraries": "pg_stat_statements", "max_connections": "400"}


class Counters:
    """Cumulative figures at one moment; the difference of two is what a phase cost."""

    def __init__(self, cpu_s: dict[str, float], statements: int | None, transactions: int, nats_in: int | None) -> None:
        self.cpu_s, self.statements, self.transactions, self.nats_in = cpu_s, statements, transactions, nats_in
        self.at = time.monotonic()

    def per_second_since(self, before: "Counters") -> "Counters":
        """The rates from `before` to this moment (the idle background, when nothing is sent)."""
        span = max(self.at - before.at, 1e-6)

        def rate(a: int | None, b: int | None) -> int | None:
            return None if a is None or b is None else round((a - b) / span)

        return Counters(
            {p: (self.cpu_s[p] - before.cpu_s.get(p, 0.0)) / span for p in self.cpu_s},
            rate(self.statements, before.statements),
            round((self.transactions - before.transactions) / span),
            rate(self.nats_in, before.nats_in),
        )


class Stack:
    def __init__(self, folder: Path | None = None, *, floor: bool = True) -> None:
        self.floor = floor
        self._exit = ExitStack()
        self.folder = folder or Path(self._exit.enter_context(tempfile.TemporaryDirectory(prefix="secpool-bench-")))
        self.logs = self.folder / "logs"
        self.children: dict[str, Child] = {}
        self.pg: EmbeddedPostgres | None = None
        self.bus: EmbeddedNats | None = None
        self.monitor_url: str | None = None
        self.database_url = ""
        self.nats_url = ""
        self.ports: dict[str, int] = {}
        self.statements_counted = False

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, say: Say) -> None:
        database_url, nats_url = os.environ.get("DATABASE_URL"), os.environ.get("NATS_URL")
        if not database_url:
            say("starting PostgreSQL (embedded, with pg_stat_statements) ...")
            self.pg = EmbeddedPostgres(self.folder / "postgres", settings=PG_SETTINGS).start()
            self.children["postgres"] = self.pg.child  # type: ignore[assignment]
            database_url = self.pg.url
        self.database_url = asyncio.run(ensure_database(database_url, "secpool"))
        own_urls: dict[str, str] = {}
        if self.pg is not None:  # as `secpool up`: each process its own role, so statements tell who sent them
            roles = pg_roles.passwords(self.folder)
            asyncio.run(pg_roles.apply(self.database_url, roles))
            own_urls = pg_roles.urls(self.database_url, roles)
        if not nats_url:
            say("starting NATS (embedded, with monitoring) ...")
            monitor = free_port()
            self.bus = EmbeddedNats(self.folder / "nats", monitor_port=monitor).start()
            self.children["nats"] = self.bus.child  # type: ignore[assignment]
            self.monitor_url = f"http://127.0.0.1:{monitor}"
            nats_url = self.bus.url
        else:
            self.monitor_url = os.environ.get("SECPOOL_BENCH_NATS_MONITOR_URL")
        self.nats_url = nats_url
        self.statements_counted = asyncio.run(bench_store.count_statements(self.database_url))
        names = (*APPS, "push", "floor-web")
        self.ports = dict(zip(names, free_ports(len(names)), strict=True))
        private, public = tokens.new_key_pair()
        env = env_with(
            {
                "DATABASE_URL": self.database_url,
                "NATS_URL": self.nats_url,
                "SECPOOL_DEMO": "1",
                "SECPOOL_COOKIE_SECURE": "0",
                "SECPOOL_DATA_DIR": str(self.folder / "data"),
                "SECPOOL_PUSH_ALLOW_HOSTS": self.url("push"),
                "SECPOOL_SIGN_IN_TRIES": "100000",
                "SECPOOL_SIGN_IN_ADDRESS_TRIES": "100000",
                "SECPOOL_KUDOS_PER_MINUTE": "100000",
                "SECPOOL_KUDOS_DAILY_LIMIT": "100000",
                **{f"SECPOOL_{n.upper()}_URL": self.url(n) for n in SERVICES},
            }
        )
        say("starting the fake push service" + (" and the floor ..." if self.floor else " ..."))
        python = sys.executable
        self._child("push", [python, "-m", "services.cli.bench_push", str(self.ports["push"])], env)
        if self.floor:
            asyncio.run(bench_floor.prepare(self.database_url, self.nats_url))
            floor = [python, "-m", "services.cli.bench_floor"]
            self._child("floor-web", [*floor, "web", str(self.ports["floor-web"])], env)
            self._child("floor-worker", [*floor, "worker"], env)
        say("starting intake, routing, recognition and the web app ...")
        for name in APPS:
            keys = {"SECPOOL_TOKEN_PRIVATE_KEY": private} if name == "pwa" else {"SECPOOL_TOKEN_PUBLIC_KEY": public}
            own = {"DATABASE_URL": own_urls[name]} if own_urls else {}
            listening = self._exit.enter_context(listen("127.0.0.1", self.ports[name]))
            self.children[name] = serving_child(name, listening, {**env, **keys, **own}, self.logs, name).start()
        for name in (*APPS, "push", *(("floor-web",) if self.floor else ())):
            wait_until(self._ready(name), 120, name, interval=0.2)

    def _child(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.children[name] = Child(name, argv, log_path=self.logs / f"{name}.log", env=env).start()

    def _ready(self, name: str) -> Check:
        path = "/ready" if name in APPS else "/received" if name == "push" else "/"

        def check() -> bool:
            child = self.children[name]
            if not child.alive():
                raise RuntimeError(f"{name} stopped at start-up:\n{child.tail(20)}")
            return http_ok(self.url(name) + path)

        return check

    def processes(self, name: str) -> list[psutil.Process]:
        """The process (with PostgreSQL: the postmaster and every backend)."""
        if name == FORK_SERVER:
            return [p for p in psutil.Process().children() if _started_by_multiprocessing(p)]
        child = self.children.get(name)
        if child is None or not child.alive():
            return []
        top = psutil.Process(child.pid)
        return [top, *top.children(recursive=True)]

    def cpu_seconds(self) -> dict[str, float]:
        spent: dict[str, float] = {}
        for name in (*SECPOOL, *FLOOR, *SHARED):
            total = 0.0
            for p in self.processes(name):
                try:
                    times = p.cpu_times()
                    total += times.user + times.system
                except psutil.Error:
                    continue
            spent[name] = total
        return spent

    def memory_mib(self) -> dict[str, dict[str, float]]:
        """RSS and PSS (MiB) per process (PostgreSQL: summed over its processes)."""
        found: dict[str, dict[str, float]] = {}
        for name in (*SECPOOL, *FLOOR, *SHARED):
            rss = pss = 0.0
            for p in self.processes(name):
                try:
                    info = p.memory_full_info()
                except psutil.Error:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            found[name] = {"rss": round(rss / 2**20, 1), "pss": round(pss / 2**20, 1)}
        return found

    def nats_in_messages(self) -> int | None:
        if self.monitor_url is None:
            return None
        try:
            return int(httpx.get(f"{self.monitor_url}/varz", timeout=5).json()["in_msgs"])
        except (httpx.HTTPError, KeyError, ValueError):
            return None

    async def counters(self) -> Counters:
        statements, transactions = await bench_store.statements_and_transactions(
            self.database_url, self.statements_counted
        )
        nats_in = await asyncio.to_thread(self.nats_in_messages)
        return Counters(self.cpu_seconds(), statements, transactions, nats_in)

    def stop(self) -> None:
        for name in reversed(list(self.children)):
            if name not in SHARED:
                self.children[name].stop()
        if self.bus is not None:
            self.bus.stop()
        if self.pg is not None:
            self.pg.stop()
        self._exit.close()


def _started_by_multiprocessing(p: psutil.Process) -> bool:
    try:
        return "from multiprocessing." in " ".join(p.cmdline())
    except psutil.Error:
        return False
