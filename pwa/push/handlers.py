"""Push's event consumers: one durable per stream, turning events into queued deliveries.

Idempotent through the pwa's inbox (services.platform.inbox): the deliveries are inserted in
the same transaction as the inbox row, so a redelivered event queues nothing twice.
"""

from typing import Any

from pwa.push import notices, store
from pwa.push.events import PUSH_SUBJECTS, PushEvent
from services.platform.db import Conn
from services.platform.inbox import Consumer
from services.platform.runtime import Runtime


def wants(event: PushEvent) -> bool:
    """Most events push nobody: those need no transaction."""
    return bool(notices.announcements(event))


async def on_event(conn: Conn, event: PushEvent) -> None:
    for announcement in notices.announcements(event):
        await store.queue(conn, announcement)


def consumers(rt: Runtime) -> list[Consumer[Any]]:
    return [
        rt.consumer(f"pwa-push-{stream.lower()}", stream, subjects, PushEvent, on_event, wants)
        for stream, subjects in PUSH_SUBJECTS.items()
    ]
