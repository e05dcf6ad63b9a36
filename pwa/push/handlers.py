"""Push's event consumers: one durable per stream, turning events into queued deliveries.

Idempotent through the pwa's inbox (services.platform.inbox): the deliveries are inserted in
the same transaction as the inbox row, so a redelivered event queues nothing twice. Once that
commits they are handed straight to this process's sender (see `Handover`).
"""

from typing import Any

from pwa.push import notices, store
from pwa.push.events import PUSH_SUBJECTS, PushEvent
from pwa.push.sender import Handover
from services.platform.db import Conn
from services.platform.inbox import AfterCommit, Consumer
from services.platform.runtime import Runtime


def wants(event: PushEvent) -> bool:
    """Most events push nobody: those need no transaction."""
    return bool(notices.announcements(event))


def consumers(rt: Runtime, handover: Handover) -> list[Consumer[Any]]:
    async def on_event(conn: Conn, event: PushEvent) -> AfterCommit | None:
        lease = handover.lease
        queued = [d for a in notices.announcements(event) for d in await store.queue(conn, a, lease)]
        return (lambda: handover.hand(queued)) if lease else None

    return [
        rt.consumer(f"pwa-push-{stream.lower()}", stream, subjects, PushEvent, on_event, wants)
        for stream, subjects in PUSH_SUBJECTS.items()
    ]
