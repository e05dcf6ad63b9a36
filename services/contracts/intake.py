"""Events published by intake: a request's life from submission to completion.

Request text (descriptions, comments, questions) never travels in events; consumers that
need it ask intake's API. `version` is the request's own counter: it increases with every
change (status, comment, rating, service-level warning), so a consumer can drop stale events.
"""

from datetime import datetime
from typing import Literal

from services.contracts.base import Event

Urgency = Literal["low", "normal", "high"]
Status = Literal["submitted", "offered", "in_progress", "waiting_on_requester", "done", "cancelled"]
SlaLevel = Literal["pickup", "completion"]
CommentKind = Literal["comment", "question", "answer"]


class RequestSubmitted(Event, tag="secpool.intake.request.submitted", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    requester_id: str
    on_behalf_of: str | None = None
    type_id: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    pickup_due_at: datetime
    done_due_at: datetime
    work_minutes: int = 30


class RequestStatusChanged(Event, tag="secpool.intake.request.status_changed", frozen=True, kw_only=True):
    """Every status change (also the ones routing caused), for live pages: the pwa refreshes
    the request and, when `pool_id`'s queue moved, the queue positions it shows."""

    request_id: str
    version: int
    pool_id: str
    requester_id: str
    status: Status
    previous: Status
    member_id: str | None = None
    actor_id: str | None = None
    on_behalf_of: str | None = None
    buddy_id: str | None = None


class RequestCompleted(Event, tag="secpool.intake.request.completed", frozen=True, kw_only=True):
    """The work is done. `helper_ids` = everyone else who worked on it: the buddy and every
    member who handed it over before `member_id` finished it."""

    request_id: str
    version: int
    pool_id: str
    requester_id: str
    member_id: str | None
    helper_ids: list[str] = []  # noqa: RUF012 (msgspec copies mutable defaults)
    type_id: str = ""
    skill: str = ""
    minutes_saved: int = 0
    on_behalf_of: str | None = None
    on_time: bool = True


class RequestCancelled(Event, tag="secpool.intake.request.cancelled", frozen=True, kw_only=True):
    request_id: str
    version: int
    pool_id: str
    requester_id: str
    actor_id: str | None = None
    reason: str = ""
    previous: Status | None = None
    member_id: str | None = None


class SlaAtRisk(Event, tag="secpool.intake.request.sla_at_risk", frozen=True, kw_only=True):
    """A service level is close to being missed (emitted once per request and level)."""

    request_id: str
    version: int
    pool_id: str
    level: SlaLevel
    due_at: datetime
    status: Status | None = None
    member_id: str | None = None
    urgency: Urgency = "normal"


class SlaBreached(Event, tag="secpool.intake.request.sla_breached", frozen=True, kw_only=True):
    """A service level was missed (emitted once per request and level; also recorded)."""

    request_id: str
    version: int
    pool_id: str
    level: SlaLevel
    due_at: datetime
    status: Status | None = None
    member_id: str | None = None


class RequestCommented(Event, tag="secpool.intake.request.commented", frozen=True, kw_only=True):
    """Someone wrote on the request's conversation (`kind` says whether it was a question from
    the member or the requester's answer). The text stays in intake."""

    request_id: str
    version: int
    pool_id: str
    requester_id: str
    comment_id: int
    author_id: str
    kind: CommentKind = "comment"
    member_id: str | None = None
    on_behalf_of: str | None = None


class RequestRated(Event, tag="secpool.intake.request.rated", frozen=True, kw_only=True):
    """The requester rated the done request (once). Deliberately without the member: ratings
    are only ever shown to the team as averages, or to the member who did the work."""

    request_id: str
    version: int
    pool_id: str
    requester_id: str
    rating: int


class RequestEdited(Event, tag="secpool.intake.request.edited", frozen=True, kw_only=True):
    """The requester corrected the request before anyone picked it up. `changed` names what
    changed (description, urgency, wished_for, attachments); a new urgency moves the due times.
    The text stays in intake."""

    request_id: str
    version: int
    pool_id: str
    requester_id: str
    changed: list[str] = []  # noqa: RUF012 (msgspec copies mutable defaults)
    urgency: Urgency = "normal"
    pickup_due_at: datetime | None = None
    done_due_at: datetime | None = None
    on_behalf_of: str | None = None
    member_id: str | None = None


class AttachmentAdded(Event, tag="secpool.intake.request.attachment_added", frozen=True, kw_only=True):
    """A file was added to the request (by its requester, a member on it or the pool's lead).
    The file and its name stay in intake."""

    request_id: str
    version: int
    pool_id: str
    requester_id: str
    attachment_id: str
    added_by: str
    author_role: str = "requester"
    on_behalf_of: str | None = None
    member_id: str | None = None


IntakeEvent = (
    RequestSubmitted
    | RequestStatusChanged
    | RequestCompleted
    | RequestCancelled
    | SlaAtRisk
    | SlaBreached
    | RequestCommented
    | RequestRated
    | RequestEdited
    | AttachmentAdded
)


class ApiKeyUsed(Event, tag="secpool.intake.api_key.used", frozen=True, kw_only=True):
    """An integration's API key was used on intake (said at most once a minute per key), so the
    pwa's list of keys shows when each was last used. `occurred_at` is the use."""

    key_id: str
