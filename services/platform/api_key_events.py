"""Every service keeps its copy of the integrations' API keys from the pwa's identity events
(secpool.identity.api_key.>), in its own `api_keys` table, through one durable consumer; and
says when a key was used (`secpool.<service>.api_key.used`, at most once a minute per key),
so the pwa's list of keys shows their last use."""

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from services.contracts import intake, recognition, routing
from services.contracts.base import Event
from services.contracts.identity import ApiKeyEvent, ApiKeyIssued, ApiKeyRevoked
from services.platform import api_key_store
from services.platform.db import Conn
from services.platform.inbox import Consumer

if TYPE_CHECKING:
    from services.platform.runtime import Runtime

SUBJECTS = ["secpool.identity.api_key.>"]


async def on_api_key_event(conn: Conn, event: ApiKeyEvent) -> None:
    match event:
        case ApiKeyIssued():
            await api_key_store.record_issued(conn, event)
        case ApiKeyRevoked():
            await api_key_store.record_revoked(conn, event)


def consumer(rt: "Runtime") -> Consumer[Any]:
    return rt.consumer(f"{rt.settings.service}-api-keys", "IDENTITY", SUBJECTS, ApiKeyEvent, on_api_key_event)


# Each service's own event for a key's use (a service publishes only its own subjects).
USED: dict[str, type[intake.ApiKeyUsed | routing.ApiKeyUsed | recognition.ApiKeyUsed]] = {
    "intake": intake.ApiKeyUsed,
    "routing": routing.ApiKeyUsed,
    "recognition": recognition.ApiKeyUsed,
}


def used_event(service: str, key_id: str) -> Event | None:
    kind = USED.get(service)
    return kind(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), key_id=key_id) if kind else None
