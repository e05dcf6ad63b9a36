"""Intake's HTTP API shapes (v1): what callers send to intake and what they get back.

Owned by intake, which encodes them; the pwa decodes the same Structs. The evolution rule of
events holds here too: add fields with defaults, never change a type. No logic and no I/O here:
the functions that build an answer for one caller live in services/intake/answers.py.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.contracts.intake import Status, Urgency

# PostgreSQL text cannot hold NUL: refuse it at the door, as the schema says.
PRINTABLE = r"^[^\x00]*$"
MAX_FILES = 10  # files sent with one request

# How a recurring request comes round (services/intake/recurrence.py).
Rule = Literal["weekly", "first_working_day"]


# --- requests ---------------------------------------------------------------------------------


class NewRequest(msgspec.Struct, forbid_unknown_fields=True):
    type_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=PRINTABLE)]
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=PRINTABLE)]
    idempotency_key: Annotated[str, msgspec.Meta(min_length=8, max_length=100, pattern=PRINTABLE)]
    urgency: Urgency = "normal"
    wished_for: date | None = None
    on_behalf_of: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=PRINTABLE)] | None = None
    language: Literal["nl", "en"] = "nl"
    # Files uploaded first (POST /v1/uploads), sent with the request.
    attachment_ids: Annotated[list[UUID], msgspec.Meta(max_length=MAX_FILES)] = []


class RequestEdit(msgspec.Struct, forbid_unknown_fields=True):
    """The requester's corrections before pick-up: only what is given changes. A date in
    `wished_for` replaces the wished-for date; `keep_wished_for: false` with no date clears it."""

    description: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=PRINTABLE)] | None = None
    urgency: Urgency | None = None
    wished_for: date | None = None
    keep_wished_for: bool = True


class StatusChange(msgspec.Struct, forbid_unknown_fields=True):
    """`waiting_on_requester` needs a note: the question for the requester."""

    status: Status
    note: Annotated[str, msgspec.Meta(max_length=4000, pattern=PRINTABLE)] = ""


class Cancellation(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=500, pattern=PRINTABLE)] = ""


class NewRating(msgspec.Struct, forbid_unknown_fields=True):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: Annotated[str, msgspec.Meta(max_length=2000, pattern=PRINTABLE)] = ""


class NewComment(msgspec.Struct, forbid_unknown_fields=True):
    """`question: true` (only the member on the request) also sets it waiting on the requester;
    a requester's comment while it waits is the answer and puts it back in progress."""

    body: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=PRINTABLE)]
    question: bool = False


REQUEST_BODIES = (NewRequest, RequestEdit, StatusChange, Cancellation, NewRating, NewComment)


class QueueSpot(msgspec.Struct, frozen=True):
    position: int  # 1 = next to be picked up
    waiting: int  # requests waiting in the pool's queue
    expected_pickup_at: datetime
    basis: Literal["queue", "service_level"]


class ExpectedPickup(msgspec.Struct):
    """When routing expects the request to be picked up. basis: now, queue, pool_opens (nobody
    who can take it is on shift yet) or lead (with the pool's lead: no time to promise)."""

    basis: str
    earliest_at: datetime | None
    latest_at: datetime | None
    reason: str  # a short reason code for the requester: offered, all_busy, pool_closed, with_lead


class RequestView(msgspec.Struct):
    id: UUID
    pool_id: str
    requester_id: str
    on_behalf_of: str | None
    type_id: str
    type_name: dict[str, str]
    description: str
    urgency: Urgency
    wished_for: date | None
    language: str
    status: Status
    member_id: str | None
    buddy_id: str | None
    helper_ids: list[str]
    version: int
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime
    picked_up_at: datetime | None
    done_at: datetime | None
    cancelled_at: datetime | None
    waiting_since: datetime | None
    rating: int | None
    rating_comment: str | None
    pickup_at_risk: bool
    done_at_risk: bool
    pickup_breached: bool
    done_breached: bool
    queue: QueueSpot | None = None
    expected: ExpectedPickup | None = None  # routing's announced pick-up, while nobody has it yet


class RatingView(msgspec.Struct):
    request_id: UUID
    rating: int
    comment: str
    version: int


class TimelineEntry(msgspec.Struct):
    at: datetime
    actor_id: str | None
    kind: str
    status: str | None
    detail: str


class CommentView(msgspec.Struct):
    id: int
    at: datetime
    author_id: str | None
    author_role: str
    kind: str
    body: str


# --- files ------------------------------------------------------------------------------------


class AttachmentView(msgspec.Struct):
    id: UUID
    request_id: UUID | None
    filename: str
    content_type: str
    size: int
    uploaded_by: str | None
    author_role: str
    created_at: datetime


# --- request types (the catalogue) ------------------------------------------------------------

SkillName = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_-]{0,39}$", max_length=40)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=PRINTABLE)]
Description = Annotated[str, msgspec.Meta(max_length=2000, pattern=PRINTABLE)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=525_600)]  # up to a year


class TypeFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A request type as a lead edits it. Service levels are minutes for a normal request
    (high urgency halves them, low doubles them); `minutes_saved` is the manager time one
    such request saves, `work_minutes` the pool's effort for one."""

    name_nl: Name
    name_en: Name
    description_nl: Description = ""
    description_en: Description = ""
    skill: SkillName
    min_level: Annotated[int, msgspec.Meta(ge=1, le=5)]
    extra_skills: Annotated[list[SkillName], msgspec.Meta(max_length=10)] = []
    language: Literal["any", "nl", "en"] = "any"
    pickup_minutes: Minutes
    complete_minutes: Minutes
    minutes_saved: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0
    work_minutes: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 30


class NewType(TypeFields, forbid_unknown_fields=True, kw_only=True):
    """`id` is optional: without it one is made from the English name."""

    pool_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=PRINTABLE)]
    id: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", max_length=63)] | None = None


TYPE_BODIES = (TypeFields, NewType)


class TypeView(msgspec.Struct):
    id: str
    pool_id: str
    name: dict[str, str]
    description: dict[str, str]
    skill: str
    min_level: int
    extra_skills: list[str]
    language: str
    pickup_minutes: int
    complete_minutes: int
    minutes_saved: int
    work_minutes: int
    retired: bool
    retired_at: datetime | None
    updated_at: datetime


class TypeChangeView(msgspec.Struct):
    at: datetime
    actor_id: str | None
    kind: str
    fields: dict[str, Any]


# --- recurring requests -----------------------------------------------------------------------


class NewRecurring(msgspec.Struct, forbid_unknown_fields=True):
    """`weekday` (0 = Monday … 6 = Sunday) is the day of a weekly request."""

    from_request_id: UUID
    rule: Rule
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)] = 0


class RecurringView(msgspec.Struct):
    id: UUID
    type_id: str
    type_name: dict[str, str]
    description: str
    urgency: str
    rule: Rule
    weekday: int
    state: str
    next_on: date
    last_on: date | None
    files: int


# --- search -----------------------------------------------------------------------------------


class SearchHit(msgspec.Struct):
    request: RequestView
    in_conversation: bool
    snippet: str


# --- a pool's figures -------------------------------------------------------------------------


class Figures(msgspec.Struct):
    requests_in: int
    requests_done: int
    median_pickup_minutes: float | None
    p90_pickup_minutes: float | None
    median_done_minutes: float | None
    p90_done_minutes: float | None
    on_time_share: float | None
    average_rating: float | None
    ratings: int
    minutes_saved: int


class TypeFigures(msgspec.Struct):
    type_id: str
    type_name: dict[str, str]
    figures: Figures


class WeekFigures(msgspec.Struct):
    week: str  # ISO week, e.g. "2026-W48"
    starts_on: date
    total: Figures
    by_type: list[TypeFigures]


class PoolInsights(msgspec.Struct):
    pool_id: str
    timezone: str
    starts_on: date
    ends_before: date
    total: Figures
    by_type: list[TypeFigures]
    weeks: list[WeekFigures]


# --- privacy ----------------------------------------------------------------------------------


class HeldRequest(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pool_id: str
    type_id: str
    description: str
    urgency: str
    status: str
    on_behalf_of: str | None
    submitted_at: datetime
    done_at: datetime | None
    cancelled_at: datetime | None
    rating: int | None
    rating_comment: str | None


class HeldComment(msgspec.Struct, frozen=True, kw_only=True):
    request_id: UUID
    kind: str
    body: str
    at: datetime


class MyData(msgspec.Struct, frozen=True, kw_only=True):
    requests: list[HeldRequest]
    comments: list[HeldComment]


class Retention(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    closed_request_days: int | None = msgspec.field(default=None)

    def __post_init__(self) -> None:
        if self.closed_request_days is not None and not 1 <= self.closed_request_days <= 3650:
            raise ValueError("closed_request_days: 1 to 3650, or null to keep closed requests")
