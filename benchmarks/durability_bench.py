"""What JetStream durability costs: publish as the outbox relay does (batches of async
publishes, each with a Nats-Msg-Id, waiting for the PubAcks) against an embedded nats-server
with `sync_interval: always` (fsync before every PubAck, secpool's setting) and with the
server's default (fsync every 2 minutes). Prints events per second and PubAck latency
(p50/p99) at a steady rate and flat out, and writes JSON. Compare within one run: the
machine is shared.

Run: python benchmarks/durability_bench.py [--events 3000] [--rate 200] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import nats

from services.cli.embedded import EmbeddedNats
from services.platform import bus

SUBJECT = "secpool.intake.request.submitted"
PAYLOAD = b'{"type":"secpool.intake.request.submitted","request_id":"' + b"x" * 300 + b'"}'


async def steady(js: object, rate: int, seconds: float) -> list[float]:
    """One publish every 1/rate s; the latency of each PubAck in ms."""
    latencies: list[float] = []

    async def one() -> None:
        started = time.perf_counter()
        await js.publish(SUBJECT, PAYLOAD, headers={"Nats-Msg-Id": str(uuid.uuid4())})  # type: ignore[attr-defined]
        latencies.append((time.perf_counter() - started) * 1000)

    tasks = []
    begin = time.monotonic()
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, begin + n / rate - time.monotonic()))
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return latencies


async def flat_out(js: object, events: int, batch: int = 200) -> float:
    """Batches of async publishes, as the relay sends them; events per second."""
    started = time.perf_counter()
    for _ in range(events // batch):
        acks = [
            await js.publish_async(SUBJECT, PAYLOAD, headers={"Nats-Msg-Id": str(uuid.uuid4())})  # type: ignore[attr-defined]
            for _ in range(batch)
        ]
        await asyncio.gather(*acks)
    return (events // batch) * batch / (time.perf_counter() - started)


async def measure(sync_always: bool, events: int, rate: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedNats(Path(folder), sync_always=sync_always).start()
        try:
            nc = await nats.connect(server.url)
            js = nc.jetstream()
            await bus.ensure_streams(js)
            latencies = sorted(await steady(js, rate, seconds=5))
            throughput = await flat_out(js, events)
            await nc.close()
        finally:
            server.stop()
    return {
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "events_per_s": round(throughput),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=int, default=200, help="steady publishes per second for the latency")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/durability.json"))
    args = parser.parse_args()
    results = {}
    for label, always in (("sync_interval: always", True), ("default (2 min)", False)):
        results[label] = asyncio.run(measure(always, args.events, args.rate))
    print(f"{'JetStream, R1, file store':<26} {'p50 ms':>8} {'p99 ms':>8} {'events/s':>10}   (PubAck at {args.rate}/s)")
    for label, r in results.items():
        print(f"{label:<26} {r['p50_ms']:>8} {r['p99_ms']:>8} {r['events_per_s']:>10}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rate": args.rate, "events": args.events, "results": results}, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
