"""Recognition's event consumers: intake's completions (prompts, digest figures) and identity's
accounts (who works in which pool)."""

from typing import Any

from services.contracts.identity import AccountCreated, AccountErased
from services.contracts.intake import RequestCompleted
from services.platform.db import Conn
from services.platform.inbox import Consumer, Handler
from services.platform.runtime import Runtime
from services.recognition import domain, privacy, prompts, store
from services.recognition.config import RecognitionConfig

INTAKE_SUBJECTS = ["secpool.intake.request.completed"]
IDENTITY_SUBJECTS = ["secpool.identity.account.created"]


def on_completion(config: RecognitionConfig) -> Handler[RequestCompleted]:
    async def handle(conn: Conn, event: RequestCompleted) -> None:
        await prompts.record_completion(conn, event, config)

    return handle


async def on_account(conn: Conn, event: AccountCreated) -> None:
    for pool_id in domain.working_pools(event.roles, event.pools):
        await store.note_members(conn, pool_id, [event.account_id])


def consumers(rt: Runtime, config: RecognitionConfig) -> list[Consumer[Any]]:
    common: dict[str, Any] = {
        "pool": rt.pool,
        "js": rt.js,
        "max_deliver": rt.settings.consumer_max_deliver,
        "ack_wait": rt.settings.consumer_ack_wait_seconds,
    }
    return [
        Consumer(
            name="recognition-intake", stream="INTAKE", subjects=INTAKE_SUBJECTS, event_type=RequestCompleted,
            handler=on_completion(config), **common,
        ),
        Consumer(
            name="recognition-identity", stream="IDENTITY", subjects=IDENTITY_SUBJECTS, event_type=AccountCreated,
            handler=on_account, **common,
        ),
        Consumer(
            name="recognition-erasure", stream="IDENTITY", subjects=privacy.ERASED_SUBJECTS,
            event_type=AccountErased, handler=privacy.on_erased, **common,
        ),
    ]  # fmt: skip
