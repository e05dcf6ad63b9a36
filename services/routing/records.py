"""Routing's records: what its stores return and take, one frozen Struct per thing, used as
`records.Offer`. A record read from a row has exactly the query's columns (the stores select
them by the `*_COLUMNS` lists below), so a renamed column fails loudly where it is read. jsonb
columns arrive decoded (the service's pool registers the codec). No logic, no I/O."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from services.contracts.routing_api import Comparison, Span
from services.routing.decision import Reason, Urgency
from services.routing.domain import Held, Started

REQUEST_COLUMNS = (
    "request_id, pool_id, requester_id, skill, min_level, language, urgency, work_minutes, submitted_at,"
    " pickup_due_at, done_due_at, state, version, lead_queue, queued_at, sla_at_risk,"
    " pickup_basis, pickup_earliest, pickup_latest, pickup_announced_at"
)


class RoutedRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A request routing holds: what it needs, where it stands, what was announced about it."""

    request_id: str
    pool_id: str
    requester_id: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    work_minutes: int
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime
    state: str  # waiting, offered, assigned, done, cancelled
    version: int  # routing's own counter for the request
    lead_queue: bool
    queued_at: datetime | None
    sla_at_risk: bool
    pickup_basis: str | None
    pickup_earliest: datetime | None
    pickup_latest: datetime | None
    pickup_announced_at: datetime | None


class NewRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A request as intake submitted it (what routing keeps of it)."""

    request_id: str
    pool_id: str
    requester_id: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    work_minutes: int
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime


class Waiting(msgspec.Struct, frozen=True, kw_only=True):
    """A request in the pool queue, as a drain pass reads it."""

    request_id: str
    skill: str
    min_level: int
    language: str
    refused: bool  # someone declined it, let it expire or handed it back


class Announced(msgspec.Struct, frozen=True, kw_only=True):
    """The expected pick-up routing last announced for a request."""

    basis: str | None
    earliest: datetime | None
    latest: datetime | None
    at: datetime | None


OFFER_COLUMNS = (
    "id, request_id, member_id, status, development, buddy_id, created_at, expires_at, answered_at, reason,"
    " pool_id, skill, work_minutes"
)


class Offer(msgspec.Struct, frozen=True, kw_only=True):
    """An offer of a request to one member, with the request's pool, skill and work estimate."""

    id: UUID
    request_id: str
    member_id: str
    status: str  # open, accepted, declined, expired, withdrawn, done
    development: bool
    buddy_id: str | None
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    reason: str
    pool_id: str
    skill: str
    work_minutes: int


class MemberOffer(msgspec.Struct, frozen=True, kw_only=True):
    """An offer as its member sees it in their list: with the request's urgency."""

    id: UUID
    request_id: str
    member_id: str
    status: str
    development: bool
    buddy_id: str | None
    expires_at: datetime
    skill: str
    urgency: str


class RecordedDecision(msgspec.Struct, frozen=True, kw_only=True):
    """A recorded decision: the chosen member's reasons and, for the others, counts per reason."""

    at: datetime
    member_id: str | None
    development: bool
    buddy_id: str | None
    reasons: list[Reason]
    others: dict[str, int]


MEMBER_COLUMNS = (
    "id, pool_id, name, skills, learning, languages, capacity, open_count, presence, experience, hours,"
    " active, identity_version"
)


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """A pool member: skills (skill → level), goals, languages, room, presence and working hours."""

    id: str
    pool_id: str
    name: str
    skills: dict[str, int]
    learning: list[str]
    languages: list[str]
    capacity: int
    open_count: int
    presence: str  # available, away, off_duty
    experience: dict[str, int]  # skill → completed requests
    hours: list[list[list[int]]]  # seven days, Monday first, of [start, end] minutes
    active: bool  # false: left the pool (or erased)
    identity_version: int


class Contender(Member, frozen=True, kw_only=True):
    """A member as a decision reads them: with whether they served this requester before
    (continuity) and the minutes of work they took on today (fairness)."""

    served_requester: bool
    busy_minutes_today: float


class NewMember(msgspec.Struct, frozen=True, kw_only=True):
    """A member with their profile, as set up (the demo, tests); no hours: never on shift."""

    id: str
    pool_id: str
    name: str
    skills: dict[str, int]
    capacity: int
    learning: list[str] = []
    languages: list[str] = msgspec.field(default_factory=lambda: ["nl"])
    presence: str = "available"
    hours: Sequence[Sequence[Span]] = ((),) * 7


PROPOSAL_COLUMNS = (
    "id, pool_id, member_id, skill, level, proposed_by, why, status, confirmed_by, created_at, decided_at"
)


class Proposal(msgspec.Struct, frozen=True, kw_only=True):
    """One member proposes a colleague's skill level; another confirms it."""

    id: UUID
    pool_id: str
    member_id: str
    skill: str
    level: int
    proposed_by: str
    why: str
    status: str  # open, confirmed, withdrawn
    confirmed_by: str | None
    created_at: datetime
    decided_at: datetime | None


class NewProposal(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pool_id: str
    member_id: str
    skill: str
    level: int
    proposed_by: str
    why: str


class Policy(msgspec.Struct, frozen=True, kw_only=True):
    """The pool's stored routing policy (decision.Policy's fields as JSON) and its last change."""

    pool_id: str
    policy: dict[str, Any]
    version: int
    updated_by: str | None
    updated_at: datetime


class PolicyChange(msgspec.Struct, frozen=True, kw_only=True):
    """One change in the policy's history: the whole policy after it, and field → [old, new]."""

    at: datetime
    changed_by: str
    why: str
    policy: dict[str, Any]
    changes: dict[str, list[Any]]


class Absence(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    member_id: str
    starts_at: datetime
    ends_at: datetime
    entered_by: str


class HolidayChange(msgspec.Struct, frozen=True, kw_only=True):
    """A pool's edit to its holiday calendar: a day added, or a calendar day removed."""

    day: date
    kind: str  # added, removed
    name: str


class PoolHolidays(msgspec.Struct, frozen=True, kw_only=True):
    country: str  # whose public holidays the pool follows ('' = none)
    changes: list[HolidayChange]


class AwayFromWork(msgspec.Struct, frozen=True, kw_only=True):
    """An absence as a decision reads it: whose, from when, until when."""

    member_id: str
    starts_at: datetime
    ends_at: datetime


class PoolRota(PoolHolidays, frozen=True, kw_only=True):
    """What a decision needs besides the members' hours: the pool's holidays and the
    absences of its members that have not ended yet."""

    absences: list[AwayFromWork]


class DecisionContext(msgspec.Struct, frozen=True, kw_only=True):
    policy: dict[str, Any] | None  # the pool's policy as stored; None: the defaults
    refused: list[str]  # members who declined this request, let it expire or had it withdrawn
    development_share: float
    held: list[Held]  # the pool's open offers and accepted work, per member and skill
    started: list[Started]  # each member's first accepted piece, under way
    rota: "PoolRota"  # the pool's holidays and its active members' absences not yet ended


TRIAL_COLUMNS = "id, pool_id, asked_by, proposed, changes, weeks, status, progress, result, error, created_at"


class Trial(msgspec.Struct, frozen=True, kw_only=True):
    """A trial of a proposed policy on the pool's last weeks: waiting, running, done or failed."""

    id: UUID
    pool_id: str
    asked_by: str
    proposed: dict[str, Any]
    changes: dict[str, list[Any]]
    weeks: int
    status: str
    progress: float
    result: Comparison | None
    error: str
    created_at: datetime
