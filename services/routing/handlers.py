"""Routing's event consumers: new requests get routed, corrected ones re-decided; finished ones
free their member; identity's people and pools keep the members and holiday calendars current."""

from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

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


async def on_intake_event(conn: Conn, event: IntakeEvent, *, zone: ZoneInfo) -> None:
    match event:
        case RequestSubmitted():
            await assignment.accept_submission(conn, event, zone=zone)
        case RequestEdited():
            await assignment.accept_edit(conn, event, zone=zone)
        case RequestCompleted():
            await completion.finish(conn, event.request_id, state="done", zone=zone)
        case RequestCancelled():
            await completion.finish(conn, event.request_id, state="cancelled", zone=zone)
        case SlaAtRisk():
            await escalation.on_sla_at_risk(conn, event)
        case _:
            pass


IDENTITY_SUBJECTS = ["secpool.identity.account.>", "secpool.identity.pool.>"]


async def on_identity_event(conn: Conn, event: IdentityEvent, *, zone: ZoneInfo) -> None:
    match event:
        case AccountCreated() | AccountUpdated() | AccountDisabled() | AccountEnabled():
            await membership.on_account(conn, event, zone=zone)
        case PoolCreated() | PoolUpdated():
            await membership.on_pool(conn, event, zone=zone)
        case AccountErased():
            await privacy.on_erased(conn, event, zone=zone)


def consumers(rt: Runtime) -> list[Consumer[Any]]:
    """Working hours are read in the organisation's time zone, a platform setting."""
    zone = rt.settings.zone
    return [
        rt.consumer("routing-intake", "INTAKE", INTAKE_SUBJECTS, IntakeEvent, partial(on_intake_event, zone=zone)),
        rt.consumer(
            "routing-identity", "IDENTITY", IDENTITY_SUBJECTS, IdentityEvent, partial(on_identity_event, zone=zone)
        ),
    ]
