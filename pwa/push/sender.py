"""Sends queued push deliveries: encrypt (RFC 8291, aes128gcm), sign (VAPID, RFC 8292),
POST with TTL and Urgency (RFC 8030), then act on the answer.

Runs as a background task in every pwa replica; deliveries are claimed with SKIP LOCKED and
a lease, so replicas share the queue and a crash only delays a push. What this process's own
consumers queue is handed over leased already (`Handover`): no claim, no NOTIFY round trip.
Sending never happens inside a consumer's transaction: a slow push service cannot hold up
event handling.
"""

import asyncio
import contextlib
import time
from datetime import UTC, datetime

import aiohttp
import asyncpg
import http_ece
import structlog
from cryptography.hazmat.primitives.asymmetric import ec

from pwa.push import outcomes, store
from pwa.push.config import PushConfig
from pwa.push.guard import b64url_decode, check_endpoint, origin_of
from pwa.push.outcomes import Outcome
from pwa.push.vapid import VapidKeys
from pwa.records import Due
from services.platform import wakeup
from services.platform.db import Conn
from services.platform.errors import Invalid

log = structlog.get_logger(__name__)


def encrypt(notice: bytes, p256dh: str, auth: str) -> bytes:
    """One aes128gcm record for the browser's key, with a fresh ephemeral sender key."""
    body: bytes = http_ece.encrypt(
        notice,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(p256dh),
        auth_secret=b64url_decode(auth),
        version="aes128gcm",
    )
    return body


LEASE_SECONDS = 60.0  # a claimed or handed-over delivery is not due again before this
# Sent deliveries leave the queue with the next claim, at the latest this long after: one
# statement for many (they stay leased meanwhile, so nobody sends them again).
FINISH_WITHIN_SECONDS = 1.0


class Handover:
    """Deliveries this process's consumers just committed, for its sender. They were queued
    leased (their first attempt, due only when the lease ends), so no replica claims them
    meanwhile; if this process dies before sending, they come due and any replica sends them.
    Consumers queue them leased only while a sender runs here (`lease` is 0 otherwise)."""

    def __init__(self, lease_seconds: float = LEASE_SECONDS) -> None:
        self.wake = asyncio.Event()
        self._lease = lease_seconds
        self._sending = False
        self._handed: list[Due] = []

    @property
    def lease(self) -> float:
        return self._lease if self._sending else 0.0

    def hand(self, deliveries: list[Due]) -> None:
        if deliveries:
            self._handed.extend(deliveries)
            self.wake.set()

    @property
    def waiting(self) -> int:  # not __len__: an empty hand-over must still be truthy
        return len(self._handed)

    def take(self, limit: int) -> list[Due]:
        taken, self._handed = self._handed[:limit], self._handed[limit:]
        return taken

    def sending(self, running: bool) -> None:
        self._sending = running


class Sender:
    def __init__(
        self,
        pool: asyncpg.Pool,
        keys: VapidKeys,
        config: PushConfig,
        *,
        channel: str,
        batch: int = 64,
        lease_seconds: float = LEASE_SECONDS,
        idle_seconds: float = 1.0,
        handover: Handover | None = None,
    ) -> None:
        self._pool = pool
        self._keys = keys
        self._config = config
        self._channel = channel
        self._batch = batch
        self._lease = lease_seconds
        self._idle = idle_seconds
        self._slots = asyncio.Semaphore(config.concurrency)
        self._handover = handover or Handover(lease_seconds)
        self._finished: list[int] = []  # sent, to leave the queue with the next claim
        self._finished_since = 0.0

    async def run(self) -> None:
        # aiohttp rather than httpx: a push goes out for every offer, and a request costs httpx
        # about six times aiohttp's CPU (see pwa/gateway.py).
        timeout = aiohttp.ClientTimeout(total=self._config.send_timeout_seconds, connect=5.0)
        async with aiohttp.ClientSession(timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as client:
            self._handover.sending(True)
            try:
                await wakeup.run_rounds(
                    self._pool,
                    self._channel,
                    lambda: self.deliver_due(client),
                    full=self._batch,
                    idle_seconds=self._idle,
                    what="push delivery round",
                    wake=self._handover.wake,
                )
            finally:
                self._handover.sending(False)
                await self._finish_now()

    async def deliver_due(self, client: aiohttp.ClientSession) -> int:
        """Take what was handed over or claim one batch, send it concurrently (bounded), record
        each outcome."""
        due: list[Due] = []
        if self._handover.waiting == 0 or self._finishing_due():
            finished, self._finished = self._finished, []
            try:
                # One statement, atomic without a transaction of its own: the claim, and the
                # deliveries sent since the last one leave the queue.
                async with self._pool.acquire() as conn:
                    due = await store.claim_due(conn, self._batch, self._lease, finished)
            except BaseException:
                self._finished = finished + self._finished
                raise
        due += self._handover.take(self._batch - len(due))
        if not due:
            return 0
        results = await asyncio.gather(*(self._send(client, d) for d in due))
        now = datetime.now(UTC)
        delivered = [d.id for d, (outcome, _) in zip(due, results, strict=True) if outcome == "delivered"]
        if delivered and not self._finished:
            self._finished_since = time.monotonic()
        self._finished += delivered
        if any(outcome != "delivered" for outcome, _ in results):
            async with self._pool.acquire() as conn:
                for d, (outcome, retry_after) in zip(due, results, strict=True):
                    if outcome != "delivered":
                        await self._record(conn, d, outcome, retry_after, now)
        return len(due)

    def _finishing_due(self) -> bool:
        return bool(self._finished) and (
            len(self._finished) >= self._batch or time.monotonic() - self._finished_since >= FINISH_WITHIN_SECONDS
        )

    async def _finish_now(self) -> None:
        """On the way out: what was sent leaves the queue (else it is sent again after its lease)."""
        finished, self._finished = self._finished, []
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2), self._pool.acquire() as conn:
                await store.finish(conn, finished)

    async def _send(self, client: aiohttp.ClientSession, due: Due) -> tuple[Outcome, str | None]:
        if due.ttl_left <= 0:
            return "drop", None  # nobody wants it any more
        try:
            check_endpoint(due.endpoint, self._config.extra_origins)  # the allow-list may have shrunk
        except Invalid:
            return "gone", None
        headers = {
            "authorization": self._keys.authorization(origin_of(due.endpoint)),
            "content-encoding": "aes128gcm",
            "content-type": "application/octet-stream",
            "ttl": str(due.ttl_left),
            "urgency": due.urgency,
        }
        async with self._slots:
            try:
                body = encrypt(due.notice, due.p256dh, due.auth)
                async with client.post(due.endpoint, data=body, headers=headers, allow_redirects=False) as response:
                    await response.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.info("push service unreachable", origin=origin_of(due.endpoint), error=type(exc).__name__)
                return "retry", None
            except (ValueError, http_ece.ECEException) as exc:
                log.warning("push subscription keys unusable", origin=origin_of(due.endpoint), error=str(exc))
                return "gone", None
            except Exception as exc:  # one odd subscription must not sink the batch
                log.error("push send failed", origin=origin_of(due.endpoint), error=repr(exc))
                return "retry", None
        return outcomes.classify(response.status), response.headers.get("retry-after")

    async def _record(self, conn: Conn, due: Due, outcome: Outcome, retry_after: str | None, now: datetime) -> None:
        """A delivery that did not go through: forget the subscription, try later, or give up."""
        origin = origin_of(due.endpoint)  # endpoints are capabilities: log only their origin
        if outcome == "gone":
            log.info("push subscription gone; forgetting it", origin=origin)
            await store.forget_endpoint(conn, due.endpoint)
        elif outcome == "retry" and due.attempts < self._config.max_attempts:
            delay = outcomes.retry_delay(due.attempts, retry_after, now)
            if delay < due.ttl_left:
                await store.retry_later(conn, due.id, delay)
                return
            await store.finish(conn, [due.id])
        else:
            log.warning("push not delivered", origin=origin, outcome=outcome, attempts=due.attempts)
            await store.finish(conn, [due.id])
