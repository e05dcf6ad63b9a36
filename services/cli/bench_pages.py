"""`secpool bench --pages` and `secpool bench --sse N`, on the same stack as the ladder.

--pages: per main screen, the bytes a first visit moves (the page and every static file it
names, compressed as the server sends them to a browser that accepts gzip and br) and a repeat
visit (as a browser's HTTP cache does it: a file still fresh by its Cache-Control is not asked
for, one with a validator is asked for conditionally and a 304 moves no body; the service
worker, which can do better still, is not emulated); and the server's render time, p50/p95
over repeated requests on loopback.

--sse N: N open `/events` streams on the pwa (raw sockets, cheap on the bench's side), the
pwa's memory per connection, and the time from one kudos posted on the wall (an event every
signed-in page hears) to the moment the last of the N streams has it.
"""

import asyncio
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from services.cli import bench_people
from services.cli.bench_load import percentile
from services.cli.bench_stack import Stack
from services.demo import organisation

ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="(/[^"]+)"')
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
BROWSER = {"accept": "text/html", "accept-encoding": "gzip, deflate, br"}
RENDERS = 30


def say(line: str) -> None:
    print(line, flush=True)


def screens(request_id: str) -> dict[str, list[str]]:
    """The main screens, by who opens them."""
    return {
        "anna@example.org": ["/requests", "/requests/new", f"/requests/{request_id}", "/wall"],
        "sanne@example.org": ["/offers", "/pool", "/pool/requests"],
        "lead@example.org": ["/lead/queue", "/lead/insights"],
    }


class Cached:
    """What a browser's HTTP cache keeps of one response."""

    def __init__(self, response: httpx.Response) -> None:
        control = response.headers.get("cache-control", "")
        age = re.search(r"max-age=(\d+)", control)
        self.fresh = "no-store" not in control and "no-cache" not in control and bool(age and int(age.group(1)) > 0)
        self.etag = response.headers.get("etag")
        self.modified = response.headers.get("last-modified")


async def fetch(http: httpx.AsyncClient, path: str, cache: dict[str, Cached], repeat: bool) -> tuple[int, int]:
    """(bytes moved, requests made) for one URL, first or repeat visit."""
    kept = cache.get(path)
    if repeat and kept is not None and kept.fresh:
        return 0, 0
    headers = {}
    if repeat and kept is not None:
        if kept.etag:
            headers["if-none-match"] = kept.etag
        if kept.modified:
            headers["if-modified-since"] = kept.modified
    response, moved = await on_the_wire(http, path, headers)
    if response.status_code == 200:
        cache[path] = Cached(response)
    return moved, 1


async def on_the_wire(http: httpx.AsyncClient, path: str, headers: dict[str, str]) -> tuple[httpx.Response, int]:
    """The response and the bytes it moved: headers and the body as sent (not decompressed, so
    no decoder for br is needed here)."""
    async with http.stream("GET", path, headers=headers) as response:
        body = 0
        async for chunk in response.aiter_raw():
            body += len(chunk)
    return response, body + sum(len(k) + len(v) + 4 for k, v in response.headers.raw)


async def visit(http: httpx.AsyncClient, path: str, cache: dict[str, Cached], repeat: bool) -> dict[str, int]:
    page, moved = await on_the_wire(http, path, {})
    if page.status_code != 200:
        raise RuntimeError(f"{path}: {page.status_code}")
    text = (await http.get(path, headers={"accept-encoding": "identity"})).text  # to read, not counted
    asked = 1
    for asset in dict.fromkeys(ASSET.findall(text)):
        got, made = await fetch(http, asset, cache, repeat)
        moved += got
        asked += made
    return {"bytes": moved, "requests": asked}


async def pages(stack: Stack) -> dict[str, Any]:
    org = organisation()
    people = {p.email: p for p in org.people}
    tokens = await bench_people.sessions(stack.database_url, [people[e].id for e in screens("x")])
    found: dict[str, Any] = {}
    anna = httpx.AsyncClient(base_url=stack.url("pwa"), headers=BROWSER, timeout=30)
    anna.cookies.set("secpool", tokens[people["anna@example.org"].id], domain="127.0.0.1")
    form = await anna.get("/requests/new")
    token = CSRF_FIELD.search(form.text)
    assert token, "no CSRF field on the new-request page"
    made = await anna.post(
        "/requests",
        data={
            "type_id": "letter",
            "description": "A page to measure",
            "idempotency_key": str(uuid.uuid4()),
            "_csrf_token": token.group(1),
        },
    )
    request_id = made.headers["location"].split("?")[0].rsplit("/", 1)[-1]
    await anna.aclose()
    for email, paths in screens(request_id).items():
        async with httpx.AsyncClient(base_url=stack.url("pwa"), headers=BROWSER, timeout=30) as http:
            http.cookies.set("secpool", tokens[people[email].id], domain="127.0.0.1")
            for path in paths:
                cache: dict[str, Cached] = {}
                first = await visit(http, path, cache, repeat=False)
                again = await visit(http, path, cache, repeat=True)
                took = []
                for _ in range(RENDERS):
                    started = time.perf_counter()
                    response = await http.get(path)
                    took.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                took.sort()
                name = path.replace(request_id, "{id}")
                found[name] = {
                    "first_visit_bytes": first["bytes"],
                    "first_visit_requests": first["requests"],
                    "repeat_visit_bytes": again["bytes"],
                    "repeat_visit_requests": again["requests"],
                    "render_p50_ms": round(percentile(took, 0.5), 1),
                    "render_p95_ms": round(percentile(took, 0.95), 1),
                }
                row = found[name]
                say(
                    f"  {name:<22} first {row['first_visit_bytes'] / 1000:7.1f} kB ({row['first_visit_requests']} "
                    f"requests)  repeat {row['repeat_visit_bytes'] / 1000:7.1f} kB ({row['repeat_visit_requests']})  "
                    f"render p50 {row['render_p50_ms']:.1f} ms p95 {row['render_p95_ms']:.1f} ms"
                )
    return found


class Stream:
    """One `/events` stream on a raw socket: it only notes when the first kudos line arrives."""

    def __init__(self) -> None:
        self.heard: float | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.task: asyncio.Task[None] | None = None

    async def open(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        reader, self.writer = await asyncio.open_connection(parts.hostname, parts.port)
        self.writer.write(
            f"GET /events HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
            f"Cookie: secpool={token}\r\n\r\n".encode()
        )
        await self.writer.drain()
        while b"connected" not in await reader.readline():
            pass
        self.task = asyncio.create_task(self.listen(reader))

    async def listen(self, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            if line.startswith(b"event: kudos"):
                self.heard = time.monotonic()
                return

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


async def fan_out(stack: Stack, count: int) -> dict[str, Any]:
    org = organisation()
    viewers = [p.id for p in org.people if "staff" in p.roles]
    tokens = await bench_people.sessions(stack.database_url, viewers)
    giver = next(p for p in org.people if p.email == "anna@example.org")
    pwa = [p for p in stack.processes("pwa")]
    before = sum(p.memory_full_info().pss for p in pwa)
    streams = [Stream() for _ in range(count)]
    opened = time.monotonic()
    for k in range(0, count, 100):  # a hundred at a time: the pwa's accept queue stays short
        await asyncio.gather(
            *(
                s.open(stack.url("pwa"), tokens[viewers[(k + i) % len(viewers)]])
                for i, s in enumerate(streams[k : k + 100])
            )
        )
        say(f"  {min(k + 100, count)}/{count} streams open")
    opening = time.monotonic() - opened
    await asyncio.sleep(1.0)
    after = sum(p.memory_full_info().pss for p in pwa)
    async with httpx.AsyncClient(base_url=stack.url("pwa"), headers={"accept": "text/html"}, timeout=30) as http:
        http.cookies.set("secpool", tokens[giver.id], domain="127.0.0.1")
        form = await http.get("/wall/new")
        token = CSRF_FIELD.search(form.text)
        assert token, "no CSRF field on the kudos form"
        recipient = next(p.id for p in org.people if p.email == "sanne@example.org")
        posted = time.monotonic()
        sent = await http.post(
            "/wall/kudos",
            data={"recipients": recipient, "message": "Thanks for the bench", "_csrf_token": token.group(1)},
        )
        if sent.status_code != 303:
            raise RuntimeError(f"the kudos was refused: {sent.status_code}")
        deadline = posted + 60
        while any(s.heard is None for s in streams) and time.monotonic() < deadline:  # noqa: ASYNC110 (bounded)
            await asyncio.sleep(0.01)
    heard = sorted((s.heard - posted) * 1000 for s in streams if s.heard is not None)
    for s in streams:
        s.close()
    result = {
        "clients": count,
        "reached": len(heard),
        "opening_s": round(opening, 1),
        "first_ms": round(heard[0], 1) if heard else None,
        "p50_ms": round(percentile(heard, 0.5), 1) if heard else None,
        "all_ms": round(heard[-1], 1) if len(heard) == count else None,
        "pwa_pss_mib_before": round(before / 2**20, 1),
        "pwa_pss_mib_after": round(after / 2**20, 1),
        "kib_per_connection": round((after - before) / 1024 / count, 1),
    }
    say(
        f"one kudos to {count} SSE clients: first {result['first_ms']} ms, half {result['p50_ms']} ms, "
        f"all {result['all_ms']} ms ({len(heard)} reached); pwa memory {result['pwa_pss_mib_before']} → "
        f"{result['pwa_pss_mib_after']} MiB PSS, {result['kib_per_connection']} KiB a connection"
    )
    return result


def run(pages_too: bool, sse: int | None, json_path: Path | None) -> int:
    stack = Stack(floor=False)
    results: dict[str, Any] = {}
    try:
        stack.start(say)
        if pages_too:
            say("pages (first visit, repeat visit, render time):")
            results["pages"] = asyncio.run(pages(stack))
        if sse:
            say(f"opening {sse} SSE streams ...")
            results["sse"] = asyncio.run(fan_out(stack, sse))
    finally:
        stack.stop()
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=2) + "\n")
        say(f"written to {json_path}")
    return 0
