"""`secpool bench`'s load generator: an open-loop schedule (request k leaves at start + k/rate
whether or not earlier ones were answered, so a slow system cannot slow the load down), the
achieved rate it really reached, errors counted instead of raised, and latency summaries.
"""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

import httpx
import msgspec

# A submit: sends request number k, returns the new request's id (None: refused).
Send = Callable[[int], Awaitable[str | None]]


class Shot(msgspec.Struct):
    """One submitted request: when it left, and its id once answered."""

    started: float
    request_id: str | None = None
    error: str | None = None


class Load(msgspec.Struct):
    rate: float
    seconds: float
    shots: list[Shot]
    elapsed: float  # from the first scheduled send to the last one leaving
    late_ms: float  # how far behind its schedule the worst send left (the generator's own lag)

    @property
    def achieved_rate(self) -> float:
        return len(self.shots) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def errors(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for shot in self.shots:
            if shot.error is not None:
                counted[shot.error] = counted.get(shot.error, 0) + 1
        return counted

    @property
    def answered(self) -> dict[str, float]:
        """Request id → when it was sent."""
        return {s.request_id: s.started for s in self.shots if s.request_id is not None}


async def drive(send: Send, rate: float, seconds: float) -> Load:
    """Send `rate × seconds` requests on the open-loop schedule; wait for every answer."""
    count = max(1, round(rate * seconds))
    shots: list[Shot] = []
    tasks: list[asyncio.Task[None]] = []
    late = 0.0

    async def one(k: int, shot: Shot) -> None:
        try:
            shot.request_id = await send(k)
            if shot.request_id is None:
                shot.error = "refused"
        except (httpx.HTTPError, OSError) as exc:  # ReadError, ConnectError, timeouts under load: counted
            shot.error = type(exc).__name__

    begin = time.monotonic()
    for k in range(count):
        due = begin + k / rate
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
            now = time.monotonic()
        late = max(late, now - due)
        shot = Shot(started=now)
        shots.append(shot)
        tasks.append(asyncio.create_task(one(k, shot)))
    elapsed = max(time.monotonic() - begin, count / rate)
    await asyncio.gather(*tasks)
    return Load(rate=rate, seconds=seconds, shots=shots, elapsed=elapsed, late_ms=late * 1000)


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Latency(msgspec.Struct):
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def latency(sent: dict[str, float], arrived: dict[str, float]) -> Latency | None:
    """From each answered request's send to its arrival; None when nothing arrived."""
    ordered = sorted((arrived[r] - t) * 1000 for r, t in sent.items() if r in arrived)
    if not ordered:
        return None
    return Latency(
        count=len(ordered),
        p50_ms=round(percentile(ordered, 0.5), 2),
        p95_ms=round(percentile(ordered, 0.95), 2),
        p99_ms=round(percentile(ordered, 0.99), 2),
        max_ms=round(ordered[-1], 2),
    )
