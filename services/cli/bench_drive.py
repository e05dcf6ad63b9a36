"""The two systems `secpool bench` drives, each behind one `send`: secpool through the pwa's
pages (signed-in requesters post the new-request form, as a phone without JavaScript does)
and the floor through its one endpoint; and what arrives at the far end of each — the offer's
Web Push at the fake push service (decrypted), the requester's SSE update, and the offered
event on NATS.
"""

import asyncio
import contextlib
import re
import time
import uuid
from typing import Any

import httpx
import msgspec
import nats
from nats.aio.msg import Msg

from services.cli import bench_floor
from services.cli.bench_push import Phone, decode_received
from services.contracts.routing import RequestOffered

POOL = "pool-secretariaat"
TYPE = "agenda-meeting"
SKILL = "agenda"  # what TYPE needs (every member the bench readies has it)
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
# An idle connection is dropped before uvicorn's own 5 s keep-alive ends: reusing one the server
# is closing at that moment fails the request (a ReadError between two phases).
LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=4.0)


class Browser:
    """One signed-in person: a cookie-keeping client and the CSRF token of their session."""

    def __init__(self, base: str, account_id: str) -> None:
        self.account_id = account_id
        self.http = httpx.AsyncClient(base_url=base, limits=LIMITS, timeout=10, headers={"accept": "text/html"})
        self.csrf = ""

    async def adopt(self, session: str) -> "Browser":
        """Signed in with a session made directly (no password hashing for the bench's people);
        the new-request page sets the CSRF cookie and holds the form's token."""
        self.http.cookies.set("secpool", session, domain="127.0.0.1")
        page = await self.http.get("/requests/new")
        found = CSRF_FIELD.search(page.text)
        if page.status_code != 200 or found is None:
            raise RuntimeError(f"a bench session does not work: {page.status_code}")
        self.csrf = found.group(1)
        return self

    async def submit(self, k: int) -> str | None:
        form = {
            "type_id": TYPE,
            "description": f"Bench request {k}",
            "urgency": "normal",
            "idempotency_key": str(uuid.uuid4()),
            "_csrf_token": self.csrf,
        }
        response = await self.http.post("/requests", data=form)
        if response.status_code != 303:
            return None
        return response.headers["location"].split("?")[0].rsplit("/", 1)[-1]

    async def follow(self, seen: dict[str, float]) -> None:
        """The requester's open page: the first `request-<id>` event per request, timed."""
        async with self.http.stream("GET", "/events", timeout=None) as stream:
            async for line in stream.aiter_lines():
                if line.startswith("event: request-"):
                    seen.setdefault(line[len("event: request-") :], time.monotonic())

    async def close(self) -> None:
        await self.http.aclose()


class Secpool:
    """Requesters who submit and watch their page; members whose phones get the offers."""

    def __init__(self, pwa: str, push: str, nats_url: str) -> None:
        self.pwa, self.push, self.nats_url = pwa, push, nats_url
        self.requesters: list[Browser] = []
        self.members: list[Browser] = []
        self.phones: dict[str, Phone] = {}
        self.offered: dict[str, float] = {}  # request id → RequestOffered seen on NATS
        self.offer_of: dict[str, str] = {}  # offer id → request id
        self.sse: dict[str, float] = {}
        self.pushed: dict[str, float] = {}  # request id → its offer's push received
        self.pushes = 0
        self.undecryptable = 0
        self._cursor = 0
        self._early: list[tuple[str, float]] = []  # pushes whose offer NATS has not shown yet
        self._tasks: list[asyncio.Task[None]] = []
        self._nc: Any = None
        self._next = 0

    async def open(self, requesters: dict[str, str], members: dict[str, str]) -> None:
        """Requesters and members (account id → session) open the pwa; the members subscribe
        their phones, the requesters keep their page's live updates open."""
        self.requesters = await asyncio.gather(*(Browser(self.pwa, a).adopt(s) for a, s in requesters.items()))
        self.members = await asyncio.gather(*(Browser(self.pwa, a).adopt(s) for a, s in members.items()))
        for member in self.members:
            phone = Phone(self.push)
            answer = await member.http.post(
                "/push/subscriptions",
                json=phone.subscription(),
                headers={"x-csrf-token": member.http.cookies["csrftoken"]},
            )
            if answer.status_code != 201:
                raise RuntimeError(f"push subscription refused: {answer.status_code} {answer.text[:200]}")
            self.phones[phone.path] = phone
        self._tasks = [asyncio.create_task(r.follow(self.sse)) for r in self.requesters]
        decode = msgspec.json.Decoder(RequestOffered).decode
        self._nc = await nats.connect(self.nats_url)

        async def on_offer(msg: Msg) -> None:
            event = decode(msg.data)
            self.offered.setdefault(event.request_id, time.monotonic())
            self.offer_of[event.offer_id] = event.request_id

        await self._nc.subscribe("secpool.routing.request.offered", cb=on_offer)

    async def send(self, k: int) -> str | None:
        self._next += 1
        return await self.requesters[self._next % len(self.requesters)].submit(k)

    async def collect(self, http: httpx.AsyncClient) -> None:
        """Fetch the pushes received since the last call and decrypt each with its phone."""
        rows = decode_received((await http.get(f"{self.push}/received", params={"after": self._cursor})).json())
        self._cursor += len(rows)
        for push in rows:
            self.pushes += 1
            phone = self.phones.get(push.path)
            try:
                notice = phone.decrypt(push) if phone is not None else {}
            except Exception:  # a push the phone cannot read is a failure the bench reports
                self.undecryptable += 1
                continue
            tag = str(notice.get("tag", ""))
            if notice.get("kind") == "offer" and tag.startswith("offer-"):
                request_id = self.offer_of.get(tag[len("offer-") :])
                if request_id is not None:
                    self.pushed.setdefault(request_id, push.at)
                else:
                    self._early.append((tag[len("offer-") :], push.at))
        still = []
        for offer_id, at in self._early:
            if offer_id in self.offer_of:
                self.pushed.setdefault(self.offer_of[offer_id], at)
            else:
                still.append((offer_id, at))
        self._early = still

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await task
        if self._nc is not None:
            await self._nc.close()
        for browser in (*self.requesters, *self.members):
            await browser.close()


class Floor:
    """The floor's endpoint, and its offered events on NATS."""

    def __init__(self, url: str, nats_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=url, limits=LIMITS, timeout=10)
        self.nats_url = nats_url
        self.offered: dict[str, float] = {}
        self._nc: Any = None

    async def open(self) -> None:
        self._nc = await nats.connect(self.nats_url)

        async def on_offer(msg: Msg) -> None:
            self.offered.setdefault(msg.data.decode(), time.monotonic())

        await self._nc.subscribe(bench_floor.OFFERED, cb=on_offer)

    async def send(self, k: int) -> str | None:
        response = await self.http.post(
            "/requests",
            content=msgspec.json.encode({"requester": f"staff-{k % 20}", "description": f"Bench request {k}"}),
        )
        if response.status_code != 201:
            return None
        return str(response.json()["id"])

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.close()
        await self.http.aclose()
