"""How fast live updates reach an open page, per kind (offer, accept, question, answer, done,
the invitation to thank, a wall post, a reaction), in Chromium.

Starts embedded PostgreSQL and NATS, intake, routing, recognition and the pwa as real
processes with the demo data, opens three signed-in pages (a requester, a pool member, a
colleague with the wall open) and plays tests/browser/live_round.py round after round: each
kind is timed from the tap that causes it to the moment the other page shows it, measured in
that page. Prints median, p90 and worst per kind, writes JSON, and exits 1 when a kind's median
reaches one second. Needs the test extras (Playwright) and Chromium at /usr/bin/chromium.

Run: python benchmarks/live_bench.py [--rounds 10] [--out benchmarks/results/live.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the shared round lives in tests/browser

from playwright.async_api import async_playwright

from services.cli.embedded import EmbeddedNats, EmbeddedPostgres, ensure_database
from tests.browser.conftest import ARGS, CHROMIUM, System, sign_in
from tests.browser.live_round import KINDS, Pages, one_round, watch

PEOPLE = ("anna@example.org", "sanne@example.org", "carla@example.org")  # requester, member, colleague
TIMEOUT_MS = 30_000
THRESHOLD_MS = 1000.0


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1),
        "worst_ms": round(ordered[-1], 1),
    }


async def measure(base: str, rounds: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            opened = []
            for email in PEOPLE:
                context = await browser.new_context(
                    viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True
                )
                page = await context.new_page()
                await sign_in(page, base, email)
                await watch(page)
                opened.append(page)
            requester, member, colleague = opened
            pages = Pages(requester, member, colleague, base=base)
            await one_round(pages, TIMEOUT_MS)  # warm-up: first renders, caches, connections
            for k in range(rounds):
                took = await one_round(pages, TIMEOUT_MS)
                for kind, ms in took.items():
                    samples[kind].append(ms)
                print(
                    f"round {k + 1}/{rounds}: " + ", ".join(f"{kind} {ms:.0f}" for kind, ms in took.items()), flush=True
                )
        finally:
            await browser.close()
    return samples


async def run(rounds: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg").start()
        bus = EmbeddedNats(Path(tmp) / "nats").start()
        system = None
        try:
            db_url = await ensure_database(pg.url, "secpool")
            system = System(db_url, bus.url, Path(tmp) / "logs")
            system.env.update(
                {
                    "SECPOOL_DATA_DIR": str(Path(tmp) / "data"),
                    "SECPOOL_KUDOS_DAILY_LIMIT": "1000",
                    "SECPOOL_KUDOS_PER_MINUTE": "1000",
                }
            )
            await asyncio.to_thread(system.start_all, SECPOOL_COOKIE_SECURE="1")
            system.only_available(PEOPLE[1])
            return await measure(system.base, rounds)
        finally:
            if system is not None:
                system.stop_all()
            bus.stop()
            pg.stop()


def main(rounds: int, out: Path) -> int:
    load_before = os.getloadavg()[0]
    samples = asyncio.run(run(rounds))
    load = [round(load_before, 1), round(os.getloadavg()[0], 1)]  # the machine may be shared: say how busy
    results = {kind: summary(values) for kind, values in samples.items()}
    print(
        f"\n{'kind':<14} {'median':>8} {'p90':>8} {'worst':>8}   ({rounds} rounds, ms; load average {load[0]} → {load[1]})"
    )
    for kind, row in results.items():
        print(f"{kind:<14} {row['median_ms']:>8.0f} {row['p90_ms']:>8.0f} {row['worst_ms']:>8.0f}")
    out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average_before_after": load}
    out.write_text(
        json.dumps(
            {"benchmark": "live updates in a browser", "rounds": rounds, "machine": machine, "kinds": results}, indent=2
        )
        + "\n"
    )
    print(f"written to {out}")
    slow = [kind for kind, row in results.items() if row["median_ms"] >= THRESHOLD_MS]
    if slow:
        print(f"median of a second or more: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/live.json"))
    args = parser.parse_args()
    sys.exit(main(args.rounds, args.out))
