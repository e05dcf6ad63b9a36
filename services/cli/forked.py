"""`secpool up`'s processes forked from one that loaded their libraries once (the standard
library's fork server), so the four share those pages instead of each holding its own copy.

A forked process is given its own environment, log file and listening socket, starts a session
of its own (Ctrl-C reaches only the launcher) and shows `secpool <name> <app> --port <port>` in
process lists. It dies with the fork server, which dies with the launcher.
"""

import contextlib
import gc
import multiprocessing
import os
import socket
from collections.abc import Iterator, Mapping
from multiprocessing import forkserver
from multiprocessing.context import ForkServerProcess
from pathlib import Path

import setproctitle
import uvicorn

from services.cli.children import Child, die_with_parent

PRELOAD = "services.cli.preload"
# The fork server starts with the launcher's environment; these would reach every process
# through it (each process gets its own credentials in its own environment instead).
_NOT_SHARED = ("SECPOOL_", "DATABASE_URL", "NATS_URL", "PG")


@contextlib.contextmanager
def _without_credentials() -> Iterator[None]:
    """The launcher's environment without any credential, for as long as the server starts."""
    kept = {k: v for k, v in os.environ.items() if k.startswith(_NOT_SHARED)}
    for key in kept:
        del os.environ[key]
    try:
        yield
    finally:
        os.environ.update(kept)


def start_fork_server() -> None:
    """Start the fork server (once) and have it load the processes' libraries before any fork."""
    multiprocessing.set_forkserver_preload([PRELOAD])
    with _without_credentials():
        forkserver.ensure_running()


class ForkedChild(Child):
    """A process of `app` (module:factory) forked from the fork server; the same handle as `Child`."""

    def __init__(
        self, name: str, app: str, listening: socket.socket, *, log_path: Path, env: Mapping[str, str]
    ) -> None:
        super().__init__(name, [app], log_path=log_path, env=env)
        self.app = app
        self.listening = listening
        self.process: ForkServerProcess | None = None

    def start(self) -> "ForkedChild":
        start_fork_server()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        title = f"secpool {self.name} {self.app} --port {self.listening.getsockname()[1]}"
        self.process = multiprocessing.get_context("forkserver").Process(
            target=serve,
            args=(self.app, dict(self.env or {}), self.listening, str(self.log_path), title),
            name=self.name,
            daemon=True,
        )
        self.process.start()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None and self.process.pid is not None
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode if self.process is not None else None

    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def kill(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.kill()
            self.process.join()

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.process is not None
        self.process.terminate()  # SIGTERM: uvicorn finishes what it serves, then stops
        self.process.join(timeout)
        if self.process.is_alive():
            self.kill()


def serve(app: str, env: dict[str, str], listening: socket.socket, log_path: str, title: str) -> None:
    """In the forked process: become `title`, with only `env`, writing to `log_path`, and serve."""
    os.setsid()
    die_with_parent()  # the fork server: it ends when the launcher does
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    setproctitle.setproctitle(title)  # first: it needs the environment as the process began
    os.environ.clear()
    os.environ.update(env)
    gc.enable()  # off in the fork server while it loaded (services.cli.preload)
    config = uvicorn.Config(app, factory=True, access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[listening])
