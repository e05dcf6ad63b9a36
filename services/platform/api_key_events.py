"""Every service keeps its copy of the integrations' API keys from the pwa's identity events
(secpool.identity.api_key.>), in its own `api_keys` table, through one durable consumer."""

from typing import TYPE_CHECKING, Any

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
