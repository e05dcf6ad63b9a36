"""Intake's API shapes for request types: what leads send to define the "what", and what
everyone gets back."""

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from services.intake.views import PRINTABLE

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
        work_minutes=t["work_minutes"],
        retired=t["retired_at"] is not None,
        retired_at=t["retired_at"],
        updated_at=t["updated_at"],
    )


def type_change_view(c: Any) -> TypeChangeView:
    return TypeChangeView(at=c["at"], actor_id=c["actor_id"], kind=c["kind"], fields=msgspec.json.decode(c["fields"]))
