"""Recognition's event consumers: intake's completions (prompts, digest figures) and identity's
accounts (who works in which pool, as accounts are created, changed, disabled and enabled; an
erased person's words removed)."""

from typing import Any

from services.contracts.identity import AccountDisabled, AccountErased, AccountEvent
from services.contracts.intake import RequestCompleted
from services.platform.db import Conn
from services.platform.inbox import Consumer, Handler
from services.platform.runtime import Runtime
from services.recognition import domain, prompts, store, store_privacy
from services.recognition.config import RecognitionConfig

INTAKE_SUBJECTS = ["secpool.intake.request.completed"]
IDENTITY_SUBJECTS = ["secpool.identity.account.>"]


def on_completion(config: RecognitionConfig) -> Handler[RequestCompleted]:
    async def handle(conn: Conn, event: RequestCompleted) -> None:
        await prompts.record_completion(conn, event, config)

    return handle


async def on_account(conn: Conn, event: AccountEvent | AccountErased) -> None:
    """Who works in which pool follows the account; kudos given and received stay (an erased
    person's words go)."""
    if isinstance(event, AccountErased):
        await store_privacy.erase(conn, event.account_id)
        return
    working = [] if isinstance(event, AccountDisabled) else domain.working_pools(event.roles, event.pools)
    await store.leave_pools(conn, event.account_id, keep=working)
    for pool_id in working:
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
            name="recognition-intake",
            stream="INTAKE",
            subjects=INTAKE_SUBJECTS,
            event_type=RequestCompleted,
            handler=on_completion(config),
            **common,
        ),
        Consumer(
            name="recognition-identity",
            stream="IDENTITY",
            subjects=IDENTITY_SUBJECTS,
            event_type=AccountEvent | AccountErased,
            handler=on_account,
            **common,
        ),
    ]
