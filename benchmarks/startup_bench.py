"""How long `secpool up` takes to be ready: from the command to its "secpool is running" line
(printed once every process answers /ready), first on an empty data folder (cold: PostgreSQL's
cluster, roles, migrations and the demo organisation are made) and then again on the same folder
(warm: the README's second `secpool up`), with the moment of each of its "Starting ..." lines.
Also the CPU the start took, up to that line, in the launcher and every process under it (a
PostgreSQL that pg_ctl detached is not among them). Prints each start and the medians, and writes JSON.

Run: python benchmarks/startup_bench.py [--warm 5] [--out benchmarks/results/startup.json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

READY_LINE = "secpool is running"
WITHIN_SECONDS = 240.0  # a cold start on a loaded 2-core machine, with room to spare


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and every process under it, the ended ones they waited for too.
    Read at the ready line: its own children's usage would miss the processes forked from the
    fork server, which that server waits for, not the launcher."""
    total = 0.0
    top = psutil.Process(pid)
    for p in (top, *top.children(recursive=True)):
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def one_start(data_dir: Path) -> dict[str, Any]:
    """Start `secpool up`, wait for its ready line, stop it with Ctrl-C; the seconds it took."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
    command = [sys.executable, "-m", "services.cli.main", "up", "--data-dir", str(data_dir), "--port", str(free_port())]
    started = time.monotonic()
    up = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert up.stdout is not None
    ready = None
    cpu = 0.0
    seen: list[str] = []
    phases: dict[str, float] = {}
    try:
        for line in up.stdout:
            seen.append(line)
            if line.startswith("Starting "):
                phases[line.split(" (")[0].split(" ...")[0].strip()] = round(time.monotonic() - started, 2)
            if READY_LINE in line:
                ready = time.monotonic() - started
                cpu = tree_cpu(up.pid)
                break
            if time.monotonic() - started > WITHIN_SECONDS:
                break
    finally:
        up.send_signal(signal.SIGINT)
        try:
            up.wait(timeout=60)
        except subprocess.TimeoutExpired:
            up.kill()
            up.wait(timeout=10)
    if ready is None:
        raise SystemExit("secpool up did not get ready:\n" + "".join(seen[-20:]))
    return {"ready_seconds": round(ready, 2), "cpu_seconds": round(cpu, 2), **phases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warm", type=int, default=5, help="warm starts after the cold one (default 5)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/startup.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="secpool-startup-") as folder:
        data_dir = Path(folder) / "data"
        cold = one_start(data_dir)
        print(f"cold: ready after {cold['ready_seconds']} s, {cold['cpu_seconds']} s of CPU", flush=True)
        warm = []
        for n in range(args.warm):
            found = one_start(data_dir)
            warm.append(found)
            print(f"warm {n + 1}: ready after {found['ready_seconds']} s, {found['cpu_seconds']} s of CPU", flush=True)
    result: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "cold": cold,
        "warm": warm,
        "warm_ready_median_seconds": statistics.median(w["ready_seconds"] for w in warm) if warm else None,
        "warm_cpu_median_seconds": statistics.median(w["cpu_seconds"] for w in warm) if warm else None,
    }
    print(
        f"warm median: ready after {result['warm_ready_median_seconds']} s,"
        f" {result['warm_cpu_median_seconds']} s of CPU ({result['cpus']} CPUs, load {result['load_average']:.1f})"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
