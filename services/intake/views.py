"""Intake's API shapes for requests and their conversation: what callers send and get back.

What a caller sees of a request depends on who they are (access.sees_people): people and
rating of a closed request only reach its requester and the people who worked on it.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.contracts.intake import Status, Urgency
from services.intake import access
from services.intake.domain import QueueSpot
from services.platform.tokens import Caller

# PostgreSQL text cannot hold NUL: refuse it at the door, as the schema says.
PRINTABLE = r"^[^\x00]*$"
MAX_FILES = 10  # files sent with one request


class NewRequest(msgspec.Struct, forbid_unknown_fields=True):
    type_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=PRINTABLE)]
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=PRINTABLE)]
    idempotency_key: Annotated[str, msgspec.Meta(min_length=8, max_length=100, pattern=PRINTABLE)]
    urgency: Urgency = "normal"
    wished_for: date | None = None
    on_behalf_of: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=PRINTABLE)] | None = None
    language: Literal["nl", "en"] = "nl"
    # Files uploaded first (POST /v1/uploads), sent with the request.
    attachment_ids: Annotated[list[UUID], msgspec.Meta(max_length=MAX_FILES)] = []


class RequestEdit(msgspec.Struct, forbid_unknown_fields=True):
    """The requester's corrections before pick-up: only what is given changes. A date in
    `wished_for` replaces the wished-for date; `keep_wished_for: false` with no date clears it."""

    description: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=PRINTABLE)] | None = None
    urgency: Urgency | None = None
    wished_for: date | None = None
    keep_wished_for: bool = True


class StatusChange(msgspec.Struct, forbid_unknown_fields=True):
    """`waiting_on_requester` needs a note: the question for the requester."""

    status: Status
    note: Annotated[str, msgspec.Meta(max_length=4000, pattern=PRINTABLE)] = ""


class Cancellation(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=500, pattern=PRINTABLE)] = ""


class NewRating(msgspec.Struct, forbid_unknown_fields=True):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: Annotated[str, msgspec.Meta(max_length=2000, pattern=PRINTABLE)] = ""


class NewComment(msgspec.Struct, forbid_unknown_fields=True):
    """`question: true` (only the member on the request) also sets it waiting on the requester;
    a requester's comment while it waits is the answer and puts it back in progress."""

    body: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=PRINTABLE)]
    question: bool = False


REQUEST_BODIES = (NewRequest, RequestEdit, StatusChange, Cancellation, NewRating, NewComment)


class ExpectedPickup(msgspec.Struct):
    """When routing expects the request to be picked up. basis: now, queue, pool_opens (nobody
    who can take it is on shift yet) or lead (with the pool's lead: no time to promise)."""

    basis: str
    earliest_at: datetime | None
    latest_at: datetime | None
    reason: str  # a short reason code for the requester: offered, all_busy, pool_closed, with_lead


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
    helper_ids: list[str]
    version: int
    submitted_at: datetime
    pickup_due_at: datetime
    done_due_at: datetime
    picked_up_at: datetime | None
    done_at: datetime | None
    cancelled_at: datetime | None
    waiting_since: datetime | None
    rating: int | None
    rating_comment: str | None
    pickup_at_risk: bool
    done_at_risk: bool
    pickup_breached: bool
    done_breached: bool
    queue: QueueSpot | None = None
    expected: ExpectedPickup | None = None  # routing's announced pick-up, while nobody has it yet


class RatingView(msgspec.Struct):
    request_id: UUID
    rating: int
    comment: str
    version: int


class TimelineEntry(msgspec.Struct):
    at: datetime
    actor_id: str | None
    kind: str
    status: str | None
    detail: str


class CommentView(msgspec.Struct):
    id: int
    at: datetime
    author_id: str | None
    author_role: str
    kind: str
    body: str


def expected_of(r: Any) -> ExpectedPickup | None:
    if r.get("expected_basis") is None or r["status"] not in ("submitted", "offered"):
        return None
    return ExpectedPickup(
        r["expected_basis"], r.get("expected_from"), r.get("expected_to"), r.get("expected_reason", "")
    )


def request_view(r: Any, caller: Caller, queue: QueueSpot | None = None) -> RequestView:
    people = access.sees_people(caller, r)
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
        member_id=r["member_id"] if people else None,
        buddy_id=r["buddy_id"] if people else None,
        helper_ids=list(r["helper_ids"] or ()) if people else [],
        version=r["version"],
        submitted_at=r["submitted_at"],
        pickup_due_at=r["pickup_due_at"],
        done_due_at=r["done_due_at"],
        picked_up_at=r["picked_up_at"],
        done_at=r["done_at"],
        cancelled_at=r["cancelled_at"],
        waiting_since=r["waiting_since"],
        rating=r["rating"] if people else None,
        rating_comment=r["rating_comment"] if people else None,
        pickup_at_risk=r["pickup_risk_at"] is not None,
        done_at_risk=r["done_risk_at"] is not None,
        pickup_breached=r["pickup_breach_at"] is not None,
        done_breached=r["done_breach_at"] is not None,
        queue=queue,
        expected=expected_of(r),
    )


def timeline_entry(t: Any, *, people: bool, named: bool = False) -> TimelineEntry:
    """`named`: the actor may be shown though the people on it may not (access.names_actor)."""
    return TimelineEntry(
        at=t["at"],
        actor_id=t["actor_id"] if people or named else None,
        kind=t["kind"],
        status=t["status"],
        detail=t["detail"] if people else "",
    )


def comment_view(c: Any, *, people: bool) -> CommentView:
    return CommentView(
        id=c["id"],
        at=c["at"],
        author_id=c["author_id"] if people else None,
        author_role=c["author_role"],
        kind=c["kind"],
        body=c["body"],
    )
