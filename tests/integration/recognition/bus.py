"""Intake's RequestCompleted as its outbox relay would publish it (subject = tag, Nats-Msg-Id = event
id), and a reader for what recognition published. Shared by recognition's integration and e2e tests."""

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec
from nats.js import JetStreamContext

from services.contracts.base import Event
from services.contracts.intake import RequestCompleted
from services.contracts.recognition import RecognitionEvent

E = TypeVar("E")
_decoder = msgspec.json.Decoder(RecognitionEvent)


def completed(**fields: Any) -> RequestCompleted:
    values: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "occurred_at": datetime.now(UTC),
        "request_id": str(uuid.uuid4()),
        "version": 5,
        "pool_id": "pool-secretariaat",
        "requester_id": f"acct-{uuid.uuid4().hex[:8]}",
        "member_id": None,
        "helper_ids": [],
        "type_id": "letter",
        "skill": "correspondence",
        "minutes_saved": 20,
        **fields,
    }
    return RequestCompleted(**values)


async def publish(js: JetStreamContext, *events: Event) -> None:
    for event in events:
        tag = type(event).__struct_config__.tag
        assert isinstance(tag, str)
        await js.publish(tag, msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)})


async def recorded(js: JetStreamContext, kind: type[E], within: float = 5.0, at_least: int = 1) -> list[E]:
    """Every `kind` event in the RECOGNITION stream, once at least `at_least` have arrived."""
    subject = kind.__struct_config__.tag  # type: ignore[attr-defined]
    deadline = asyncio.get_running_loop().time() + within
    while True:
        found: list[E] = []
        sub = await js.pull_subscribe(subject, stream="RECOGNITION")
        try:
            while True:
                try:
                    msgs = await sub.fetch(100, timeout=0.3)
                except TimeoutError:  # nats-py raises its own subclass, or the plain one
                    break
                for msg in msgs:
                    event = _decoder.decode(msg.data)
                    assert isinstance(event, kind)
                    found.append(event)
                    await msg.ack()
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        if len(found) >= at_least or asyncio.get_running_loop().time() > deadline:
            return found
