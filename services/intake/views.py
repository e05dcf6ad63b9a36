"""Intake's API shapes: what callers send and what they get back (msgspec Structs)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.contracts.intake import Status, Urgency


class NewRequest(msgspec.Struct, forbid_unknown_fields=True):
    type_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    idempotency_key: Annotated[str, msgspec.Meta(min_length=8, max_length=100)]
    urgency: Urgency = "normal"
    wished_for: date | None = None
    on_behalf_of: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    language: Literal["nl", "en"] = "nl"


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
    version: int
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime
    picked_up_at: datetime | None
    done_at: datetime | None
    rating: int | None


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
    retired: bool


class TimelineEntry(msgspec.Struct):
    at: datetime
    actor_id: str | None
    kind: str
    status: str | None
    detail: str


def request_view(r: Any) -> RequestView:
    return RequestView(
        id=r["id"],
        pool_id=r["pool_id"],
        requester_id=r["requester_id"],
        on_behalf_of=r["on_behalf_of"],
        type_id=r["type_id"],
        type_name={"nl": r["type_name_nl"], "en": r["type_name_en"]},
        description=r["description"],
        urgency=r["urgency"],
        wished_for=r["wished_for"],
        language=r["language"],
        status=r["status"],
        member_id=r["member_id"],
        buddy_id=r["buddy_id"],
        version=r["version"],
        submitted_at=r["submitted_at"],
        pickup_due_at=r["pickup_due_at"],
        done_due_at=r["done_due_at"],
        picked_up_at=r["picked_up_at"],
        done_at=r["done_at"],
        rating=r["rating"],
    )


def type_view(t: Any) -> TypeView:
    return TypeView(
        id=t["id"],
        pool_id=t["pool_id"],
        name={"nl": t["name_nl"], "en": t["name_en"]},
        description={"nl": t["description_nl"], "en": t["description_en"]},
        skill=t["skill"],
        min_level=t["min_level"],
        extra_skills=list(t["extra_skills"]),
        language=t["language"],
        pickup_minutes=t["pickup_minutes"],
        complete_minutes=t["complete_minutes"],
        minutes_saved=t["minutes_saved"],
        retired=t["retired_at"] is not None,
    )
