"""Latency of the main path, submit → offered, at a few steady request rates.

Starts embedded PostgreSQL and NATS and intake + routing as real processes (as `secpool up`
does), submits requests at each rate, and measures from the POST to the moment
`RequestOffered` for that request appears on JetStream. Prints p50/p99 per rate and writes
JSON. The machine is shared: compare the rates within one run, not across runs.

Run: python benchmarks/pipeline_bench.py [--rates 50 100 200] [--seconds 10] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import msgspec
import nats
from nats.aio.msg import Msg

from services.cli.children import env_with, free_ports, http_ok, wait_until
from services.cli.embedded import EmbeddedNats, EmbeddedPostgres, ensure_database
from services.cli.up import service_child
from services.contracts.routing import RequestOffered
from services.demo import organisation
from services.platform.tokens import Caller, new_key_pair, sign

PRIVATE_KEY, PUBLIC_KEY = new_key_pair()


async def run_rate(
    intake: str,
    js_sub: object,
    rate: int,
    seconds: float,
    sent: dict[str, float],
    seen: dict[str, float],
    headers: dict[str, str],
    errors: dict[str, int],
) -> None:
    async with httpx.AsyncClient(base_url=intake, headers=headers, timeout=10) as client:

        async def one() -> None:
            body = {"type_id": "agenda-meeting", "description": "benchmark", "idempotency_key": str(uuid.uuid4())}
            started = time.monotonic()
            try:
                response = await client.post("/v1/requests/", json=body)
            except httpx.HTTPError as exc:  # ReadError and timeouts under load: counted, not raised
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                return
            if response.status_code != 201:
                errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
                return
            sent[response.json()["id"]] = started

        tasks = []
        interval = 1.0 / rate
        begin = time.monotonic()
        for k in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, begin + k * interval - time.monotonic()))
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not set(sent) <= set(seen):  # noqa: ASYNC110 (a bounded wait)
        await asyncio.sleep(0.05)


def _write(out: Path, data: object) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2))


async def main(rates: list[int], seconds: float, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg").start()
        bus = EmbeddedNats(Path(tmp) / "nats").start()
        ports = dict(zip(("intake", "routing"), free_ports(2), strict=True))
        db_url = await ensure_database(pg.url, "secpool")
        env = env_with(
            {"DATABASE_URL": db_url, "NATS_URL": bus.url, "SECPOOL_TOKEN_PUBLIC_KEY": PUBLIC_KEY, "SECPOOL_DEMO": "1"}
        )
        children = [service_child(n, p, env, Path(tmp) / "logs").start() for n, p in ports.items()]
        try:
            for name, port in ports.items():
                wait_until(functools.partial(http_ok, f"http://127.0.0.1:{port}/ready"), 60, name)
            db = await asyncpg.connect(db_url)
            # Room for every request, so the path measured is always submit → offer.
            for k in range(30):
                await db.execute(
                    "INSERT INTO routing.members (id, pool_id, name, skills, languages, capacity, hours)"
                    " VALUES ($1, 'pool-secretariaat', $1, '{\"agenda\": 4}', '{nl,en}', 50, $2::jsonb)",
                    f"bench-{k}",
                    "[" + ", ".join(["[[0, 1440]]"] * 7) + "]",  # on shift around the clock
                )
            anna = next(p for p in organisation().people if p.email == "anna@example.org")
            token = sign(
                Caller(account_id=anna.id, roles=("staff",), pools=tuple(anna.pools)),
                audience="intake",
                key=PRIVATE_KEY,
                ttl_seconds=3600,
            )
            nc = await nats.connect(bus.url)
            seen: dict[str, float] = {}
            decoder = msgspec.json.Decoder(RequestOffered)

            async def on_offer(msg: Msg) -> None:
                seen.setdefault(decoder.decode(msg.data).request_id, time.monotonic())

            sub = await nc.subscribe("secpool.routing.request.offered", cb=on_offer)
            results = []
            for rate in rates:
                sent: dict[str, float] = {}
                errors: dict[str, int] = {}
                await run_rate(
                    f"http://127.0.0.1:{ports['intake']}",
                    sub,
                    rate,
                    seconds,
                    sent,
                    seen,
                    {"authorization": f"Bearer {token}"},
                    errors,
                )
                latencies = sorted((seen[r] - t) * 1000 for r, t in sent.items() if r in seen)
                row = {
                    "rate_per_s": rate,
                    "requests": len(sent),
                    "offered": len(latencies),
                    "errors": errors,
                    "p50_ms": round(statistics.median(latencies), 2) if latencies else float("nan"),
                    "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 2) if latencies else float("nan"),
                }
                results.append(row)
                print(
                    f"{rate:>5}/s  {row['offered']:>5}/{row['requests']:<5} offered  "
                    f"p50 {row['p50_ms']:>7.2f} ms  p99 {row['p99_ms']:>7.2f} ms  errors {errors}",
                    flush=True,
                )
                # Free the members again for the next rate.
                await db.execute("UPDATE routing.offers SET status = 'done' WHERE status = 'open'")
                await db.execute("UPDATE routing.members SET open_count = 0")
            await sub.unsubscribe()
            await nc.close()
            await db.close()
            await asyncio.to_thread(_write, out, {"benchmark": "pipeline submit→offered", "results": results})
            print(f"written to {out}")
        finally:
            for child in children:
                child.stop()
            bus.stop()
            pg.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/pipeline.json"))
    args = parser.parse_args()
    asyncio.run(main(args.rates, args.seconds, args.out))
    sys.exit(0)
