"""Routing's HTTP shapes (API v1): what its routes accept and answer, as msgspec Structs. Routing
owns them and encodes them; the pwa decodes the same ones. No logic, no I/O; imports nothing of
the project.

Evolution rule, as for events: add fields with defaults, never change a type. A request body
forbids unknown fields (a typo is an error, not a silent no-op); an answer does not, so an
older reader still decodes a newer answer.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

SkillName = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[a-z][a-z_-]*$")]
Weight = Annotated[float, msgspec.Meta(ge=0, le=10)]
# Minutes from local midnight, 0..24:00.
Minute = Annotated[int, msgspec.Meta(ge=0, le=24 * 60)]


class Span(msgspec.Struct, frozen=True, array_like=True):
    """[start, end) in minutes from local midnight; on the wire `[510, 780]` is 8:30–13:00."""

    start: Minute
    end: Minute


# Members: presence, learning, skill levels, profile.


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
    shift: str = "on shift"  # on shift, off shift, absent, public holiday, no working hours


class MyProfile(MemberView):
    """What a member sees of themselves, including their own experience."""

    experience: dict[str, int] = {}
    open_count: int = 0


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


# Offers and queues.


class Decline(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class LeadAssignment(msgspec.Struct, forbid_unknown_fields=True):
    member_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


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


# The pool's routing policy: changes, history, trials.


class PolicyFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What the pool itself may change in its routing policy (None: keep it)."""

    skill_weight: Weight | None = None
    capacity_weight: Weight | None = None
    continuity_weight: Weight | None = None
    fairness_weight: Weight | None = None
    growth_weight: Weight | None = None
    development_share: Annotated[float, msgspec.Meta(ge=0, le=0.5)] | None = None
    offer_timeout_seconds: Annotated[int, msgspec.Meta(ge=15, le=86400)] | None = None
    auto_accept: bool | None = None


class PolicyChange(PolicyFields, kw_only=True):
    """A change the pool makes, and why (kept in the history)."""

    why: Annotated[str, msgspec.Meta(min_length=3, max_length=500)]


class PolicyTrial(PolicyFields, kw_only=True):
    """A proposed policy to try on the pool's own last weeks before adopting it."""

    weeks: Annotated[int, msgspec.Meta(ge=1, le=8)] = 4


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


class Figures(msgspec.Struct, frozen=True):
    """One policy's team figures over the trial (the simulator's compare.Figures on the wire)."""

    mean_minutes: float | None  # arrival → done (None: no requests)
    p90_minutes: float | None
    on_time_share: float | None
    busy_gini: float
    development_share: float
    unfinished: int


class WeekFigures(msgspec.Struct, frozen=True):
    """One week of the trial (the simulator's compare.Week on the wire)."""

    week: int  # 0 = the first week of the trace
    requests: int
    current_mean_minutes: float | None
    proposed_mean_minutes: float | None


class Comparison(msgspec.Struct, frozen=True):
    """Both policies side by side (the simulator's compare.Comparison on the wire)."""

    requests: int
    members: int
    current: Figures
    proposed: Figures
    weeks: list[WeekFigures]


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


# The rota: working hours, absences, public holidays.


class Hours(msgspec.Struct, forbid_unknown_fields=True):
    """Seven days, Monday first; each a list of [start, end] minutes from local midnight."""

    days: Annotated[list[Annotated[list[Span], msgspec.Meta(max_length=12)]], msgspec.Meta(min_length=7, max_length=7)]


class HoursView(msgspec.Struct):
    member_id: str
    pool_id: str
    days: list[list[Span]]
    state: str  # on shift, off shift, absent, public holiday, no working hours
    next_opening: datetime | None


class NewAbsence(msgspec.Struct, forbid_unknown_fields=True):
    starts_at: datetime
    ends_at: datetime


class AbsenceView(msgspec.Struct):
    id: UUID
    member_id: str
    starts_at: datetime
    ends_at: datetime
    entered_by: str


class HolidayName(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=100)] = ""


class Holiday(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    name_nl: str
    name_en: str
    source: str  # "calendar" or "added"
    removed: bool = False  # a calendar day the pool works on after all


# Growth: a member's own picture, the pool's coverage.


class LevelChange(msgspec.Struct, frozen=True, kw_only=True):
    skill: str
    from_level: int
    to_level: int
    source: str  # confirmed by a colleague, or grown with finished work
    at: datetime


class DevelopmentDone(msgspec.Struct, frozen=True, kw_only=True):
    request_id: str
    skill: str
    buddy_id: str | None
    done_at: datetime | None


class Goal(msgspec.Struct, frozen=True):
    """A learning goal and how far along it is."""

    skill: str
    level: int
    done_in_skill: int  # requests finished in the skill
    toward_next: int  # of the requests per level, finished toward the next level
    per_level: int
    development_done: int  # development assignments finished in the skill
    holds: bool  # reached the level at which the skill is held


class SkillStory(msgspec.Struct, frozen=True):
    """One skill over time: where it started and each change since."""

    skill: str
    level: int
    changes: list[LevelChange]


class MyGrowth(msgspec.Struct, frozen=True):
    member_id: str
    skills: list[SkillStory]
    goals: list[Goal]
    development: list[DevelopmentDone]


class Coverage(msgspec.Struct, frozen=True):
    """How many members hold a skill at each level (1..5), never who."""

    skill: str
    by_level: list[int]  # members at level 1, 2, 3, 4, 5
    holders: int  # members at the holding level or more
    learners: int  # members with it as a learning goal
    requests: int  # requests for it in the last weeks
    at_risk: bool  # rests on one or two people (or none)


# Privacy: what routing holds about me.


class HeldMember(msgspec.Struct, frozen=True, kw_only=True):
    pool_id: str
    skills: dict[str, Any]
    learning: list[str]
    languages: list[str]
    capacity: int
    presence: str
    hours: list[Any]


class HeldAbsence(msgspec.Struct, frozen=True, kw_only=True):
    starts_at: datetime
    ends_at: datetime


class HeldProposal(msgspec.Struct, frozen=True, kw_only=True):
    skill: str
    level: int
    why: str
    status: str


class MyMembership(msgspec.Struct, frozen=True, kw_only=True):
    member: HeldMember | None
    absences: list[HeldAbsence]
    skill_proposals: list[HeldProposal]
