"""Fan-out of live events to the open SSE connections of this pwa process.

One core NATS subscription per handled subject per process (every replica sees every event,
which is what live updates need; missing one is harmless: pages re-fetch on the next signal
or on `resync`). Each connection has a bounded queue that drops its oldest signals.
"""

import asyncio
import collections
import contextlib
from collections.abc import Iterator

import msgspec
import structlog
from nats.aio.msg import Msg

from pwa.live.audience import RESYNC, Signal, signals_for
from pwa.push.events import LIVE_SUBJECTS, LiveEvent
from pwa.records import Account
from services.platform.runtime import Runtime

log = structlog.get_logger(__name__)


class Connection:
    """One open /events stream."""

    def __init__(self, account: Account, limit: int) -> None:
        self.account = account
        self._queue: collections.deque[Signal] = collections.deque(maxlen=limit)
        self._ready = asyncio.Event()
        self._overflowed = False

    def offer(self, signals: list[Signal]) -> None:
        for signal in signals:
            if len(self._queue) == self._queue.maxlen:
                self._overflowed = True  # the deque drops the oldest
            self._queue.append(signal)
        if signals:
            self._ready.set()

    async def next(self, quiet_seconds: float) -> list[Signal] | None:
        """The waiting signals (coalesced, oldest first), or None after `quiet_seconds` without any."""
        if not self._queue:
            self._ready.clear()
            try:
                # asyncio.timeout, not wait_for: wait_for wraps the wait in a task of its own, and
                # with thousands of streams open that was a tenth of an event's fan-out.
                async with asyncio.timeout(quiet_seconds):
                    await self._ready.wait()
            except TimeoutError:
                return None
        signals = list(dict.fromkeys(self._queue))
        self._queue.clear()
        if self._overflowed:
            self._overflowed = False
            signals.insert(0, RESYNC)
        return signals


class LiveHub:
    def __init__(self, *, per_connection: int = 64, heartbeat_seconds: float = 15.0) -> None:
        self.heartbeat_seconds = heartbeat_seconds
        self._limit = per_connection
        self._connections: set[Connection] = set()
        self._decoder: msgspec.json.Decoder[LiveEvent] = msgspec.json.Decoder(LiveEvent)

    @contextlib.contextmanager
    def connect(self, account: Account) -> Iterator[Connection]:
        connection = Connection(account, self._limit)
        self._connections.add(connection)
        try:
            yield connection
        finally:
            self._connections.discard(connection)

    def __len__(self) -> int:
        return len(self._connections)

    def publish(self, event: LiveEvent) -> None:
        for connection in list(self._connections):
            connection.offer(signals_for(event, connection.account))

    async def _on_message(self, msg: Msg) -> None:
        try:
            event = self._decoder.decode(msg.data)
        except msgspec.DecodeError:
            log.warning("live: undecodable event ignored", subject=msg.subject)
            return
        self.publish(event)

    async def run(self, rt: Runtime) -> None:
        """Background task: subscribe and feed the connections until cancelled."""
        subscriptions = [await rt.nc.subscribe(subject, cb=self._on_message) for subject in LIVE_SUBJECTS]
        try:
            await asyncio.Event().wait()
        finally:
            for sub in subscriptions:
                with contextlib.suppress(Exception):
                    await sub.unsubscribe()
