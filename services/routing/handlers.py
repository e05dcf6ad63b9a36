"""Routing's event consumers: new requests get routed, corrected ones re-decided; finished ones
free their member; identity's people and pools keep the members and holiday calendars current."""

from typing import Any

from services.contracts.identity import (
    AccountCreated,
    AccountDisabled,
    AccountEnabled,
    AccountErased,
    AccountUpdated,
    IdentityEvent,
    PoolCreated,
    PoolUpdated,
)
from services.contracts.intake import (
    IntakeEvent,
    RequestCancelled,
    RequestCompleted,
    RequestEdited,
    RequestSubmitted,
    SlaAtRisk,
)
from services.platform.db import Conn
from services.platform.inbox import Consumer
from services.platform.runtime import Runtime
from services.routing import assignment, completion, escalation, membership, privacy

INTAKE_SUBJECTS = [
    "secpool.intake.request.submitted",
    "secpool.intake.request.completed",
    "secpool.intake.request.cancelled",
    "secpool.intake.request.sla_at_risk",
    "secpool.intake.request.edited",
]


async def on_intake_event(conn: Conn, event: IntakeEvent) -> None:
    match event:
        case RequestSubmitted():
            await assignment.accept_submission(conn, event)
        case RequestEdited():
            await assignment.accept_edit(conn, event)
        case RequestCompleted():
            await completion.finish(conn, event.request_id, state="done")
        case RequestCancelled():
            await completion.finish(conn, event.request_id, state="cancelled")
        case SlaAtRisk():
            await escalation.on_sla_at_risk(conn, event)
        case _:
            pass


IDENTITY_SUBJECTS = ["secpool.identity.account.>", "secpool.identity.pool.>"]


async def on_identity_event(conn: Conn, event: IdentityEvent) -> None:
    match event:
        case AccountCreated() | AccountUpdated() | AccountDisabled() | AccountEnabled():
            await membership.on_account(conn, event)
        case PoolCreated() | PoolUpdated():
            await membership.on_pool(conn, event)
        case AccountErased():
            await privacy.on_erased(conn, event)


def consumers(rt: Runtime) -> list[Consumer[Any]]:
    return [
        rt.consumer("routing-intake", "INTAKE", INTAKE_SUBJECTS, IntakeEvent, on_intake_event),
        rt.consumer("routing-identity", "IDENTITY", IDENTITY_SUBJECTS, IdentityEvent, on_identity_event),
    ]
