"""`secpool up` as a test runs it: a real launcher process on this machine's loopback, its
output in a file, its children found by their command lines."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from services.cli.children import free_port
from services.cli.embedded import SUPERUSER_PASSWORD


class Up:
    """A running `secpool up`, its output in a file."""

    def __init__(self, data_dir: Path, *options: str, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.output = data_dir / "up-output.txt"
        environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
        data_dir.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "services.cli.main", "up", "--data-dir", str(data_dir), "--port", str(self.port)]
        with self.output.open("w") as out:
            self.proc = subprocess.Popen(
                [*argv, *options], stdout=out, stderr=subprocess.STDOUT, env={**environment, **env}
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def processes(self, marker: str) -> list[psutil.Process]:
        found = []
        for p in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if marker in " ".join(p.cmdline()):
                    found.append(p)
            except psutil.NoSuchProcess:
                continue
        return found

    @property
    def database_url(self) -> str:
        """The superuser's URL of the embedded PostgreSQL (its password kept in the data folder)."""
        cmd = self.process("bin/postgres").cmdline()
        password = (self.data_dir / "postgres" / SUPERUSER_PASSWORD).read_text().strip()
        return f"postgresql://postgres:{password}@127.0.0.1:{cmd[cmd.index('-p') + 1]}/secpool"

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for(self, words: str, within: float) -> None:
        deadline = time.monotonic() + within
        while words not in self.text():
            assert self.proc.poll() is None, f"secpool up exited:\n{self.text()}"
            assert time.monotonic() < deadline, f"no {words!r} within {within} s:\n{self.text()}"
            time.sleep(0.1)

    def process(self, marker: str) -> psutil.Process:
        found = self.processes(marker)
        assert found, f"no process with {marker!r}"
        return found[0]

    def service_port(self, name: str) -> int:
        cmd = " ".join(self.process(f"services.{name}.app:create_app").cmdline()).split()  # a title, NUL-padded
        return int(cmd[cmd.index("--port") + 1])

    def stop(self) -> None:
        tree = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.send_signal(signal.SIGCONT)  # in case a test paused it
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        _, alive = psutil.wait_procs(tree, timeout=10)
        assert not alive, f"left running: {alive}"
