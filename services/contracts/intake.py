"""Events published by intake: a request's life from submission to completion.

Request text never travels in events; consumers that need it ask intake's API.
"""

from datetime import datetime
from typing import Literal

from services.contracts.base import Event

Urgency = Literal["low", "normal", "high"]
Status = Literal["submitted", "offered", "in_progress", "waiting_on_requester", "done", "cancelled"]


class RequestSubmitted(Event, tag="secpool.intake.request.submitted", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    requester_id: str
    on_behalf_of: str | None = None
    type_id: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    pickup_due_at: datetime
    done_due_at: datetime
    work_minutes: int = 30


class RequestStatusChanged(Event, tag="secpool.intake.request.status_changed", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    requester_id: str
    status: Status
    previous: Status
    member_id: str | None = None
    actor_id: str | None = None


class RequestCompleted(Event, tag="secpool.intake.request.completed", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    requester_id: str
    member_id: str | None
    helper_ids: list[str] = []  # noqa: RUF012 (msgspec copies mutable defaults)
    type_id: str = ""
    skill: str = ""
    minutes_saved: int = 0


class RequestCancelled(Event, tag="secpool.intake.request.cancelled", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    requester_id: str
    actor_id: str | None = None
    reason: str = ""


class SlaAtRisk(Event, tag="secpool.intake.request.sla_at_risk", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    level: Literal["pickup", "completion"]
    due_at: datetime


IntakeEvent = RequestSubmitted | RequestStatusChanged | RequestCompleted | RequestCancelled | SlaAtRisk
