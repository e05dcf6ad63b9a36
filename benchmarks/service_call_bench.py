"""What one call from the pwa to a service costs the pwa: the same GET, answered by a small
Litestar app under uvicorn (as the services run), made with httpx and with aiohttp (the
pwa's gateway, pwa/gateway.py, uses aiohttp). Prints the caller's CPU time and the wall time
per call, rounds of each client taken in turn so both see the same machine, and writes JSON.

Run: python benchmarks/service_call_bench.py [--calls 2000] [--rounds 3] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import aiohttp
import httpx

# A service's answer of typical size: a list of twenty small records.
APP = """
from litestar import Litestar, get

ROWS = [{"id": f"{n:08d}-aaaa-bbbb-cccc-dddddddddddd", "status": "submitted", "position": n} for n in range(20)]


@get("/v1/requests", sync_to_thread=False)
def requests() -> list[dict]:
    return ROWS


def create_app() -> Litestar:
    return Litestar([requests])
"""
QUIET = ("--no-access-log", "--log-level", "warning")
TOKEN = "Bearer " + "x" * 400  # a service token's size


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def per_call(calls: int, started_cpu: float, started_wall: float) -> dict[str, float]:
    return {
        "cpu_us": (time.process_time() - started_cpu) / calls * 1e6,
        "wall_us": (time.perf_counter() - started_wall) / calls * 1e6,
    }


async def with_httpx(url: str, calls: int) -> dict[str, float]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=url, timeout=10.0, limits=limits) as client:
        for _ in range(50):  # warm: connection open, code paths hot
            (await client.get("/v1/requests", headers={"authorization": TOKEN})).raise_for_status()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(calls):
            response = await client.get("/v1/requests", headers={"authorization": TOKEN})
            _ = response.content
        return per_call(calls, cpu, wall)


async def with_aiohttp(url: str, calls: int) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=100, limit_per_host=100, keepalive_timeout=4.0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10.0)) as session:
        for _ in range(50):
            async with session.get(f"{url}/v1/requests", headers={"authorization": TOKEN}) as response:
                await response.read()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(calls):
            async with session.get(f"{url}/v1/requests", headers={"authorization": TOKEN}) as response:
                _ = await response.read()
        return per_call(calls, cpu, wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/service_call.json"))
    args = parser.parse_args()
    clients: dict[str, Callable[[str, int], Coroutine[Any, Any, dict[str, float]]]] = {
        "httpx": with_httpx,
        "aiohttp": with_aiohttp,
    }
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "call_bench_app.py").write_text(APP)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "call_bench_app:create_app", "--port", str(port), *QUIET],
            cwd=folder,
            env={**os.environ, "PYTHONPATH": folder},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{url}/v1/requests", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the stand-in service did not start") from None
                    time.sleep(0.1)
            found: dict[str, list[dict[str, float]]] = {name: [] for name in clients}
            for round_ in range(args.rounds):
                for name, client in clients.items():
                    found[name].append(asyncio.run(client(url, args.calls)))
                    last = found[name][-1]
                    print(
                        f"round {round_ + 1} {name:<8} CPU {last['cpu_us']:7.0f} µs a call, wall {last['wall_us']:7.0f} µs"
                    )
        finally:
            server.terminate()
            server.wait(timeout=10)
    summary = {
        name: {key: round(statistics.median(r[key] for r in rounds), 1) for key in ("cpu_us", "wall_us")}
        for name, rounds in found.items()
    }
    ratio = summary["httpx"]["cpu_us"] / summary["aiohttp"]["cpu_us"]
    print(
        f"median of {args.rounds} rounds: httpx {summary['httpx']['cpu_us']:.0f} µs CPU a call, "
        f"aiohttp {summary['aiohttp']['cpu_us']:.0f} µs ({ratio:.1f}× less)"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    args.out.write_text(
        json.dumps(
            {
                "calls": args.calls,
                "rounds": found,
                "median": summary,
                "cpu_ratio": round(ratio, 2),
                "load_average": round(load, 2),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"load average {load:.1f}; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
