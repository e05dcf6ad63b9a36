"""Recognition's HTTP shapes (API v1): what its routes accept and answer, as msgspec Structs.
Recognition owns them and encodes them; the pwa decodes the same ones. No logic, no I/O; imports
nothing of the project. No shape counts kudos per person or orders people: that is the product's rule.

Evolution rule, as for events: add fields with defaults, never change a type. A request body
forbids unknown fields (a typo is an error, not a silent no-op); an answer does not, so an
older reader still decodes a newer answer.
"""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

# The longest kudos message, in characters (the domain checks it too).
MESSAGE_MAX = 500

AccountId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
PoolId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Message = Annotated[str, msgspec.Meta(min_length=1, max_length=MESSAGE_MAX)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
ValueName = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]


class NewKudos(msgspec.Struct, forbid_unknown_fields=True):
    message: Message
    recipient_ids: Annotated[list[AccountId], msgspec.Meta(max_length=50)] = []
    pool_id: PoolId | None = None
    value_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    request_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None


class PromptThanks(msgspec.Struct, forbid_unknown_fields=True):
    """The one tap: everything optional; without a message the suggested one in `language` is sent."""

    message: Message | None = None
    value_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    language: Literal["nl", "en"] = "nl"


class NewReaction(msgspec.Struct, forbid_unknown_fields=True):
    emoji: Annotated[str, msgspec.Meta(min_length=1, max_length=8)]


class NewReport(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class Moderation(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason


class ValueNames(msgspec.Struct, forbid_unknown_fields=True):
    nl: ValueName
    en: ValueName
    position: int | None = None


class DigestSchedule(msgspec.Struct, forbid_unknown_fields=True):
    """Every how many days the pool's digest appears; null returns to the default."""

    every_days: Annotated[int, msgspec.Meta(ge=1, le=31)] | None


class ReactionTally(msgspec.Struct):
    emoji: str
    count: int


class RequestRef(msgspec.Struct):
    id: str
    pool_id: str
    type_id: str
    completed_at: datetime | None


class HiddenNote(msgspec.Struct):
    at: datetime
    by: str | None
    reason: str | None


class KudosView(msgspec.Struct):
    id: UUID
    giver_id: str
    recipient_ids: list[str]
    pool_id: str | None
    message: str
    value_id: str | None
    request_id: str | None
    request: RequestRef | None
    created_at: datetime
    reactions: list[ReactionTally]
    my_reaction: str | None
    version: int
    hidden: HiddenNote | None = None


class WallPage(msgspec.Struct):
    items: list[KudosView]
    next_before: UUID | None  # pass as `before` for the next page; null on the last page


class ReportView(msgspec.Struct):
    id: UUID
    kudos_id: UUID
    reason: str
    at: datetime


class ReportedKudos(msgspec.Struct):
    kudos: KudosView
    reasons: list[str]
    first_reported_at: datetime


class AuditEntry(msgspec.Struct):
    at: datetime
    actor_id: str | None
    action: str
    detail: str


class ValueView(msgspec.Struct):
    id: str
    name: dict[str, str]
    retired: bool


class PromptView(msgspec.Struct):
    id: UUID
    request_id: str
    pool_id: str
    type_id: str
    recipient_ids: list[str]
    suggested_message: dict[str, str]
    created_at: datetime
    expires_at: datetime


class DigestView(msgspec.Struct):
    id: UUID
    pool_id: str
    period_start: datetime
    period_end: datetime
    published_at: datetime
    requests_handled: int
    minutes_saved: int
    requests_on_time: int
    on_time_share: float | None
    kudos_given: int
    kudos_received: int
    highlights: list[KudosView]


class PoolView(msgspec.Struct):
    id: str
    digest_every_days: float


# Privacy: what recognition holds about me, for my data download.


class HeldKudos(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    giver_id: str
    recipient_ids: list[str]
    message: str
    value_id: str | None
    request_id: str | None
    created_at: datetime
    hidden: bool


class HeldReaction(msgspec.Struct, frozen=True, kw_only=True):
    kudos_id: UUID
    emoji: str
    at: datetime


class MyThanks(msgspec.Struct, frozen=True, kw_only=True):
    given: list[HeldKudos]
    received: list[HeldKudos]
    reactions: list[HeldReaction]
