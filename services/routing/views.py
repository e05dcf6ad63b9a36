"""Routing's API shapes (msgspec Structs) and how rows become them."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.routing.assignment import as_json

SkillName = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[a-z][a-z_-]*$")]


class Decline(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class Presence(msgspec.Struct, forbid_unknown_fields=True):
    presence: Literal["available", "away", "off_duty"]
    # With the member's consent, accepted work goes back to the pool too (a colleague who
    # accepts it takes it over; intake records the handover).
    hand_back_work: bool = False


class Learning(msgspec.Struct, forbid_unknown_fields=True):
    skills: Annotated[list[SkillName], msgspec.Meta(max_length=20)]


class LevelProposal(msgspec.Struct, forbid_unknown_fields=True):
    member_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    skill: SkillName
    level: Annotated[int, msgspec.Meta(ge=0, le=5)]
    why: Annotated[str, msgspec.Meta(max_length=500)] = ""


class Profile(msgspec.Struct, forbid_unknown_fields=True):
    """What the lead sets for a member besides skills: the languages they work in, their capacity."""

    languages: (
        Annotated[list[Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}$")]], msgspec.Meta(max_length=10)] | None
    ) = None
    capacity: Annotated[int, msgspec.Meta(ge=0, le=50)] | None = None


class LeadAssignment(msgspec.Struct, forbid_unknown_fields=True):
    member_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class MemberView(msgspec.Struct):
    """What the pool sees of a member: skills, languages, presence — never performance."""

    id: str
    pool_id: str
    name: str
    skills: dict[str, int]
    learning: list[str]
    languages: list[str]
    capacity: int
    presence: str
    shift: str = "on shift"  # shifts.ShiftState: on shift, off shift, absent, public holiday, no working hours


class MyProfile(MemberView):
    """What a member sees of themselves, including their own experience."""

    experience: dict[str, int] = {}
    open_count: int = 0


class OfferView(msgspec.Struct):
    id: UUID
    request_id: str
    member_id: str
    status: str
    development: bool
    buddy_id: str | None
    expires_at: datetime
    skill: str
    urgency: str


class QueuedView(msgspec.Struct):
    request_id: str
    position: int
    skill: str
    urgency: str
    language: str
    submitted_at: datetime
    lead_queue: bool


class DecisionView(msgspec.Struct):
    at: datetime
    member_id: str | None
    development: bool
    buddy_id: str | None
    why: str
    candidates: list[dict[str, Any]]


class ProposalView(msgspec.Struct):
    id: UUID
    member_id: str
    skill: str
    level: int
    proposed_by: str
    why: str
    status: str
    confirmed_by: str | None
    created_at: datetime


class PolicyView(msgspec.Struct):
    pool_id: str
    version: int
    policy: dict[str, Any]
    updated_by: str | None
    updated_at: datetime | None


class PolicyChangeView(msgspec.Struct):
    at: datetime
    changed_by: str
    why: str
    policy: dict[str, Any]


def member_view(m: Any, cls: type[MemberView] = MemberView, *, shift: str = "on shift") -> MemberView:
    fields: dict[str, Any] = {
        "id": m["id"], "pool_id": m["pool_id"], "name": m["name"], "skills": as_json(m["skills"]),
        "learning": list(m["learning"]), "languages": list(m["languages"]), "capacity": m["capacity"],
        "presence": m["presence"], "shift": shift,
    }  # fmt: skip
    if cls is MyProfile:
        fields.update(experience=as_json(m["experience"]), open_count=m["open_count"])
    return cls(**fields)


def offer_view(r: Any) -> OfferView:
    return OfferView(
        id=r["id"], request_id=r["request_id"], member_id=r["member_id"], status=r["status"],
        development=r["development"], buddy_id=r["buddy_id"], expires_at=r["expires_at"],
        skill=r["skill"], urgency=r["urgency"],
    )  # fmt: skip


def decision_view(r: Any) -> DecisionView:
    return DecisionView(
        at=r["at"], member_id=r["member_id"], development=r["development"], buddy_id=r["buddy_id"],
        why=r["why"], candidates=as_json(r["candidates"]),
    )  # fmt: skip


def proposal_view(r: Any) -> ProposalView:
    return ProposalView(
        id=r["id"], member_id=r["member_id"], skill=r["skill"], level=r["level"], proposed_by=r["proposed_by"],
        why=r["why"], status=r["status"], confirmed_by=r["confirmed_by"], created_at=r["created_at"],
    )  # fmt: skip
