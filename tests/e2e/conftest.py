"""E2E fixtures: every service and the pwa as real uvicorn processes (the same command
`secpool up` uses) on this test's PostgreSQL database and NATS."""

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from services.cli.children import Child, env_with, free_port, free_ports, http_ok, wait_until
from services.cli.up import service_child
from tests.e2e.launched import Up
from tests.support import METRICS_TOKEN, PRIVATE_KEY, PUBLIC_KEY


class Processes:
    """The running system; tests kill and restart parts of it."""

    def __init__(self, database_url: str, nats_url: str, logs: Path) -> None:
        names = ("intake", "routing", "recognition", "pwa")
        self.ports = dict(zip(names, free_ports(len(names)), strict=True))
        self.logs = logs
        self.env = env_with(
            {
                "DATABASE_URL": database_url,
                "NATS_URL": nats_url,
                "SECPOOL_TOKEN_PUBLIC_KEY": PUBLIC_KEY,
                "SECPOOL_METRICS_TOKEN": METRICS_TOKEN,
                "SECPOOL_DEMO": "1",
                "SECPOOL_COOKIE_SECURE": "0",
                **{f"SECPOOL_{n.upper()}_URL": f"http://127.0.0.1:{p}" for n, p in self.ports.items() if n != "pwa"},
            }
        )
        self.children: dict[str, Child] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def env_for(self, name: str, **extra_env: str) -> dict[str, str]:
        """`name`'s environment: only the pwa holds the signing key, as under `secpool up`."""
        keys = {"SECPOOL_TOKEN_PRIVATE_KEY": PRIVATE_KEY} if name == "pwa" else {}
        return {**self.env, **keys, **extra_env}

    def start(self, name: str, *, replica: str | None = None, **extra_env: str) -> Child:
        """Start `name`; with `replica`, one more process of it on a port of its own."""
        key = replica or name
        self.ports.setdefault(key, free_port())
        child = service_child(name, self.ports[key], self.env_for(name, **extra_env), self.logs).start()
        self.children[key] = child
        name = key

        def ready() -> bool:
            assert child.alive(), f"{name} died at start-up:\n{child.tail(20)}"
            return http_ok(f"{self.url(name)}/ready")

        wait_until(ready, 60, name)
        return child

    def kill(self, name: str) -> None:
        self.children[name].kill()

    def stop_all(self) -> None:
        for child in reversed(list(self.children.values())):
            child.stop()


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Up]:
    """`secpool up` on the embedded default, with demo data, running."""
    system = Up(tmp_path / "data", SECPOOL_COOKIE_SECURE="0")
    try:
        system.wait_for("secpool is running", within=90)
        yield system
    finally:
        if system.proc.poll() is None:
            system.stop()


@pytest.fixture
def processes(database_url: str, nats_url: str, tmp_path: Path) -> Iterator[Processes]:
    system = Processes(database_url, nats_url, tmp_path / "logs")
    try:
        yield system
    finally:
        system.stop_all()


@pytest.fixture
def http() -> Iterator[Callable[..., httpx.Client]]:
    """Opens plain HTTP clients that are closed after the test, pass or fail (an unclosed one
    warns later, inside whichever test the garbage collector happens to run in)."""
    opened: list[httpx.Client] = []

    def open_client(**options: object) -> httpx.Client:
        client = httpx.Client(**options)  # type: ignore[arg-type]
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        client.close()
