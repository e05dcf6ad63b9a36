"""Recognition's records: what its stores return and take, one frozen Struct per thing, named by
it (`records.Kudos`, `records.Prompt`, `records.Digest`). A record read from the database has
exactly the columns of the query that reads it (services.platform.db.as_record), so a renamed
column fails at once. No logic, no I/O.
"""

from datetime import datetime
from uuid import UUID

import msgspec


class NewKudos(msgspec.Struct, frozen=True, kw_only=True):
    """A kudos as the service gives it; the database adds its time and version."""

    id: UUID
    giver_id: str
    recipient_ids: list[str]
    pool_id: str | None
    message: str
    value_id: str | None
    request_id: str | None
    prompt_id: UUID | None
    # The giver's pools (if they work there), the pools it is received by (the addressed pool,
    # the recipients' pools), and both together for the wall's pool filter.
    from_pools: list[str]
    to_pools: list[str]
    pools: list[str]


class Kudos(NewKudos, frozen=True, kw_only=True):
    created_at: datetime
    version: int
    hidden_at: datetime | None
    hidden_by: str | None
    hidden_why: str | None


class ReportedKudos(Kudos, frozen=True, kw_only=True):
    """A kudos awaiting a moderator, with the reasons of its open reports (oldest first)."""

    reasons: list[str]
    first_reported_at: datetime


class Report(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kudos_id: UUID
    reporter_id: str
    reason: str
    at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None  # hidden, kept


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    actor_id: str | None
    action: str  # given, reported, hidden, kept
    detail: str


class Value(msgspec.Struct, frozen=True, kw_only=True):
    """One of the organisation's values, to tag kudos with."""

    id: str
    name_nl: str
    name_en: str
    position: int
    retired_at: datetime | None
    updated_at: datetime


class Pool(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    digest_period_seconds: int | None  # None: the configured default
    first_seen_at: datetime


class FinishedRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A request as intake's RequestCompleted describes it."""

    id: str
    pool_id: str
    requester_id: str
    completed_at: datetime
    on_time: bool  # intake's verdict: done by the (pause-adjusted) due time
    member_id: str | None
    helper_ids: list[str]
    type_id: str
    skill: str
    minutes_saved: int
    version: int


class NewPrompt(msgspec.Struct, frozen=True, kw_only=True):
    """An invitation to thank as the service makes it; the database adds its time and status."""

    id: UUID
    request_id: str
    pool_id: str
    requester_id: str
    recipient_ids: list[str]
    expires_at: datetime


class Prompt(NewPrompt, frozen=True, kw_only=True):
    created_at: datetime
    status: str  # open, thanked, dismissed
    kudos_id: UUID | None
    closed_at: datetime | None


class OpenPrompt(Prompt, frozen=True, kw_only=True):
    """A prompt with what recognition knows of its request (nothing, if the request is gone)."""

    type_id: str | None
    completed_at: datetime | None


class Digest(msgspec.Struct, frozen=True, kw_only=True):
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
    highlight_kudos_ids: list[UUID]
