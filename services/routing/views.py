"""Routing's API shapes (msgspec Structs) and how rows become them."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.routing.assignment import as_json
from services.routing.store import DecisionRow
from services.routing.trial_store import Trial
from services.simulation.compare import Comparison

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


class ReasonView(msgspec.Struct):
    """A reason as a code the pages translate, with the values it quotes."""

    code: str
    minutes: float | None = None
    skill: str | None = None
    level: int | None = None
    language: str | None = None


class QueuedView(msgspec.Struct):
    request_id: str
    position: int
    skill: str
    urgency: str
    language: str
    submitted_at: datetime
    lead_queue: bool
    # In the lead's queue: why it is there (routing's latest decision: codes, and counts per reason).
    reasons: list[ReasonView] = []
    others: dict[str, int] = {}


class DecisionView(msgspec.Struct):
    """Why a request went to whom: the chosen member and their reasons; everyone else only as
    counts per reason. No score per person and no one's name beside "declined", by design."""

    at: datetime
    member_id: str | None
    development: bool
    buddy_id: str | None
    reasons: list[ReasonView]
    others: dict[str, int]  # reason code → how many members
    offers_before: int = 0  # earlier decisions for this request (counted, not shown)


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
    changes: dict[str, list[Any]] = {}  # field → [old, new]


def member_view(m: Any, cls: type[MemberView] = MemberView, *, shift: str = "on shift") -> MemberView:
    fields: dict[str, Any] = {
        "id": m["id"],
        "pool_id": m["pool_id"],
        "name": m["name"],
        "skills": as_json(m["skills"]),
        "learning": list(m["learning"]),
        "languages": list(m["languages"]),
        "capacity": m["capacity"],
        "presence": m["presence"],
        "shift": shift,
    }
    if cls is MyProfile:
        fields.update(experience=as_json(m["experience"]), open_count=m["open_count"])
    return cls(**fields)


def offer_view(r: Any) -> OfferView:
    return OfferView(
        id=r["id"],
        request_id=r["request_id"],
        member_id=r["member_id"],
        status=r["status"],
        development=r["development"],
        buddy_id=r["buddy_id"],
        expires_at=r["expires_at"],
        skill=r["skill"],
        urgency=r["urgency"],
    )


def decision_view(d: DecisionRow, earlier: int) -> DecisionView:
    return DecisionView(
        at=d.at,
        member_id=d.member_id,
        development=d.development,
        buddy_id=d.buddy_id,
        reasons=[ReasonView(r.code, r.minutes, r.skill, r.level, r.language) for r in d.reasons],
        others=d.others,
        offers_before=earlier,
    )


def proposal_view(r: Any) -> ProposalView:
    return ProposalView(
        id=r["id"],
        member_id=r["member_id"],
        skill=r["skill"],
        level=r["level"],
        proposed_by=r["proposed_by"],
        why=r["why"],
        status=r["status"],
        confirmed_by=r["confirmed_by"],
        created_at=r["created_at"],
    )


class TrialView(msgspec.Struct):
    """A policy trial: waiting, running (progress 0..1), done (the figures) or failed (why)."""

    id: UUID
    pool_id: str
    status: str
    progress: float
    weeks: int
    changes: dict[str, list[Any]]  # field → [current, proposed]
    proposed: dict[str, Any]
    result: Comparison | None
    error: str
    created_at: datetime


def trial_view(t: Trial) -> TrialView:
    return TrialView(
        id=t.id,
        pool_id=t.pool_id,
        status=t.status,
        progress=t.progress,
        weeks=t.weeks,
        changes=t.changes,
        proposed=t.proposed,
        result=t.result,
        error=t.error,
        created_at=t.created_at,
    )
