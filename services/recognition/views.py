"""Recognition's API shapes: what callers send and get back (msgspec Structs), and the
builders from rows. No view counts kudos per person or orders people: that is the product's rule.
"""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.recognition.domain import MESSAGE_MAX, REACTIONS, SUGGESTED_THANKS

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


def request_ref(r: Any) -> RequestRef:
    return RequestRef(id=r["id"], pool_id=r["pool_id"], type_id=r["type_id"], completed_at=r["completed_at"])


def kudos_view(
    k: Any,
    *,
    tallies: dict[str, int] | None = None,
    mine: str | None = None,
    request: Any = None,
    show_hidden: bool = False,
) -> KudosView:
    tallies = tallies or {}
    hidden = None
    if show_hidden and k["hidden_at"] is not None:
        hidden = HiddenNote(at=k["hidden_at"], by=k["hidden_by"], reason=k["hidden_why"])
    return KudosView(
        id=k["id"],
        giver_id=k["giver_id"],
        recipient_ids=list(k["recipient_ids"]),
        pool_id=k["pool_id"],
        message=k["message"],
        value_id=k["value_id"],
        request_id=k["request_id"],
        request=request_ref(request) if request is not None else None,
        created_at=k["created_at"],
        reactions=[ReactionTally(emoji=e, count=tallies.get(e, 0)) for e in REACTIONS],
        my_reaction=mine,
        version=k["version"],
        hidden=hidden,
    )


def value_view(v: Any) -> ValueView:
    return ValueView(id=v["id"], name={"nl": v["name_nl"], "en": v["name_en"]}, retired=v["retired_at"] is not None)


def prompt_view(p: Any) -> PromptView:
    return PromptView(
        id=p["id"],
        request_id=p["request_id"],
        pool_id=p["pool_id"],
        type_id=p["type_id"] or "",
        recipient_ids=list(p["recipient_ids"]),
        suggested_message=SUGGESTED_THANKS,
        created_at=p["created_at"],
        expires_at=p["expires_at"],
    )


def digest_view(d: Any, highlights: list[KudosView]) -> DigestView:
    return DigestView(
        id=d["id"],
        pool_id=d["pool_id"],
        period_start=d["period_start"],
        period_end=d["period_end"],
        published_at=d["published_at"],
        requests_handled=d["requests_handled"],
        minutes_saved=d["minutes_saved"],
        requests_on_time=d["requests_on_time"],
        on_time_share=d["on_time_share"],
        kudos_given=d["kudos_given"],
        kudos_received=d["kudos_received"],
        highlights=highlights,
    )
