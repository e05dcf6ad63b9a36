"""Child processes the launcher owns: started in their own session (so Ctrl-C reaches only
the launcher, which then stops them in order), and told to die if the launcher dies."""

import contextlib
import ctypes
import http.client
import os
import random
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1


class LaunchError(Exception):
    """Something prevents starting; the message is one line a person can act on."""


def die_with_parent() -> None:
    """In a child: SIGTERM when the process that started it ends, even killed outright (Linux)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


# Listening ports come from below Linux's ephemeral range (32768–60999): a port the kernel
# hands out for bind(0) can meanwhile become some process's outgoing connection, or be handed
# out twice in a row, and a second service then fails to bind while the first answers for it.
_LISTEN_PORTS = range(20000, 32000)
_taken: set[int] = set()  # ports this process already handed out


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct ports that are free now and were not handed out before."""
    chosen: list[int] = []
    held: list[socket.socket] = []
    try:
        while len(chosen) < count:
            port = random.choice(_LISTEN_PORTS)
            if port in _taken or port in chosen:
                continue
            s = socket.socket()
            try:
                s.bind((host, port))
            except OSError:
                s.close()
                continue
            held.append(s)  # held until all are chosen, so none is chosen twice
            chosen.append(port)
    finally:
        for s in held:
            s.close()
    _taken.update(chosen)
    return chosen


def free_port(host: str = "127.0.0.1") -> int:
    return free_ports(1, host)[0]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise LaunchError(f"{what} did not come up within {timeout:.0f} s")


class Child:
    """One named process with its log file; `stop` asks politely, then insists."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        user: str | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.env = dict(env) if env is not None else None
        self.user = user
        self.stop_signal = stop_signal
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> "Child":
        if not Path(self.argv[0]).exists() and "/" in self.argv[0]:
            raise LaunchError(f"{self.name}: {self.argv[0]} is missing (reinstall with pip)")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        try:
            self.proc = subprocess.Popen(
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                user=self.user,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        except FileNotFoundError as exc:
            raise LaunchError(f"{self.name}: cannot run {self.argv[0]} ({exc.strerror})") from exc
        finally:
            log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.proc is not None else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
            self.proc.wait()

    def stop(self, timeout: float = 10.0) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        self.proc.send_signal(self.stop_signal)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# The standard library's client, not httpx: `secpool up` asks this before anything else runs,
# and importing httpx took a third of a second of its start-up. Local only: no proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_ok(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1.0) as response:
            return bool(response.status == 200)
    except (OSError, http.client.HTTPException):  # refused, timed out, or an answer not 2xx
        return False


def env_with(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env
