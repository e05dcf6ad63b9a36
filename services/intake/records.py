"""Intake's records: what its store reads and writes, named by the thing (used as
`records.Request`). Each record's fields are exactly the columns of the query that reads it
(services.platform.db.as_record), so a renamed column fails loudly where it is read.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from services.contracts.intake import Status, Urgency
from services.contracts.intake_api import Rule


class Request(msgspec.Struct, frozen=True, kw_only=True):
    """A request with its type's names and routing facts (store.REQUEST_COLUMNS)."""

    id: UUID
    pool_id: str
    requester_id: str
    on_behalf_of: str | None
    type_id: str
    description: str
    urgency: Urgency
    wished_for: date | None
    language: str
    status: Status
    member_id: str | None
    buddy_id: str | None
    helper_ids: list[str]
    version: int
    routing_version: int
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime
    picked_up_at: datetime | None
    done_at: datetime | None
    cancelled_at: datetime | None
    waiting_since: datetime | None
    rating: int | None
    rating_comment: str | None
    rated_at: datetime | None
    minutes_saved: int | None
    pickup_risk_at: datetime | None
    done_risk_at: datetime | None
    pickup_breach_at: datetime | None
    done_breach_at: datetime | None
    expected_basis: str | None
    expected_from: datetime | None
    expected_to: datetime | None
    expected_reason: str
    type_name_nl: str
    type_name_en: str
    skill: str
    min_level: int
    type_minutes_saved: int
    work_minutes: int


class NewRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A request as it is first written (status `submitted`)."""

    id: UUID
    pool_id: str
    requester_id: str
    on_behalf_of: str | None
    type_id: str
    idempotency_key: str
    description: str
    urgency: Urgency
    wished_for: date | None
    language: str
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """A timeline entry to add with a change (its time: the change's)."""

    kind: str
    actor_id: str | None
    status: str | None
    detail: str = ""


class TimelineEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor_id: str | None
    kind: str
    status: str | None
    detail: str


class Comment(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    request_id: UUID
    author_id: str
    author_role: str
    kind: str
    body: str
    at: datetime


class RequestType(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    pool_id: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    skill: str
    min_level: int
    extra_skills: list[str]
    language: str
    pickup_minutes: int
    complete_minutes: int
    minutes_saved: int
    work_minutes: int
    retired_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TypeFields(msgspec.Struct, frozen=True, kw_only=True):
    """A request type as it is written (store_catalogue.TYPE_FIELDS, in that order)."""

    pool_id: str
    name_nl: str
    name_en: str
    description_nl: str = ""
    description_en: str = ""
    skill: str
    min_level: int
    extra_skills: list[str] = []
    language: str = "any"
    pickup_minutes: int
    complete_minutes: int
    minutes_saved: int = 0
    work_minutes: int = 30


class TypeChange(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor_id: str | None
    kind: str
    fields: dict[str, Any]  # the changed fields as they were set (jsonb)


class TypeName(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name_nl: str
    name_en: str


class Waiting(msgspec.Struct, frozen=True, kw_only=True):
    """A request waiting in its pool's queue."""

    id: UUID
    pool_id: str
    urgency: str
    submitted_at: datetime
    pickup_due_at: datetime


class QueuePlace(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    waiting: int


class PoolLoad(msgspec.Struct, frozen=True, kw_only=True):
    busy_slots: int
    estimated_minutes: float | None
    observed_minutes: float | None
    observed_count: int


class PlaceAndLoad(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    waiting: int
    busy_slots: int
    estimated_minutes: float | None
    observed_minutes: float | None
    observed_count: int


class InsightRow(msgspec.Struct, frozen=True, kw_only=True):
    type_id: str
    status: str
    submitted_at: datetime
    picked_up_at: datetime | None
    done_at: datetime | None
    done_due_at: datetime
    rating: int | None
    minutes_saved: int


class SlaClaim(msgspec.Struct, frozen=True, kw_only=True):
    """A request whose service level was just found at risk or breached."""

    id: UUID
    version: int
    pool_id: str
    status: Status
    member_id: str | None
    urgency: Urgency
    requester_id: str
    due_at: datetime


class SearchedRequest(Request, frozen=True, kw_only=True):
    """A request a search found, and whether the words are in its conversation rather than in
    its type or description."""

    in_conversation: bool


class Snippet(msgspec.Struct, frozen=True, kw_only=True):
    request_id: UUID
    snippet: str


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    request_id: UUID | None
    uploaded_by: str
    author_role: str
    filename: str
    content_type: str
    size: int
    object_key: str
    created_at: datetime
    schedule_id: UUID | None = None  # a recurring request's own copy


class Schedule(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    requester_id: str
    on_behalf_of: str | None
    pool_id: str
    type_id: str
    description: str
    urgency: str
    language: str
    rule: Rule
    weekday: int
    state: str
    next_on: date
    last_on: date | None
    created_at: datetime
    type_name_nl: str
    type_name_en: str


class Unrouted(msgspec.Struct, frozen=True, kw_only=True):
    """A submitted request with what RequestSubmitted carries about it."""

    id: str
    version: int
    pool_id: str
    requester_id: str
    on_behalf_of: str | None
    type_id: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime
    work_minutes: int
    heals: int
