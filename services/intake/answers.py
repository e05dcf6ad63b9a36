"""Intake's answers: each builds what one caller gets back (the shapes in
services/contracts/intake_api.py) from what the store read.

What a caller sees of a request depends on who they are (access.sees_people): people and
rating of a closed request only reach its requester and the people who worked on it. A file is
always served as a download, private to the people on the request.
"""

from urllib.parse import quote

from services.contracts.intake_api import (
    AttachmentView,
    CommentView,
    ExpectedPickup,
    QueueSpot,
    RequestView,
    TimelineEntry,
    TypeChangeView,
    TypeView,
)
from services.intake import access, records
from services.intake.records import Attachment
from services.platform.tokens import Caller


def expected_of(r: records.Request) -> ExpectedPickup | None:
    if r.expected_basis is None or r.status not in ("submitted", "offered"):
        return None
    return ExpectedPickup(r.expected_basis, r.expected_from, r.expected_to, r.expected_reason)


def request_view(r: records.Request, caller: Caller, queue: QueueSpot | None = None) -> RequestView:
    people = access.sees_people(caller, r)
    return RequestView(
        id=r.id,
        pool_id=r.pool_id,
        requester_id=r.requester_id,
        on_behalf_of=r.on_behalf_of,
        type_id=r.type_id,
        type_name={"nl": r.type_name_nl, "en": r.type_name_en},
        description=r.description,
        urgency=r.urgency,
        wished_for=r.wished_for,
        language=r.language,
        status=r.status,
        member_id=r.member_id if people else None,
        buddy_id=r.buddy_id if people else None,
        helper_ids=list(r.helper_ids or ()) if people else [],
        version=r.version,
        submitted_at=r.submitted_at,
        pickup_due_at=r.pickup_due_at,
        done_due_at=r.done_due_at,
        picked_up_at=r.picked_up_at,
        done_at=r.done_at,
        cancelled_at=r.cancelled_at,
        waiting_since=r.waiting_since,
        rating=r.rating if people else None,
        rating_comment=r.rating_comment if people else None,
        pickup_at_risk=r.pickup_risk_at is not None,
        done_at_risk=r.done_risk_at is not None,
        pickup_breached=r.pickup_breach_at is not None,
        done_breached=r.done_breach_at is not None,
        queue=queue,
        expected=expected_of(r),
    )


def timeline_entry(t: records.TimelineEntry, *, people: bool, named: bool = False) -> TimelineEntry:
    """`named`: the actor may be shown though the people on it may not (access.names_actor)."""
    return TimelineEntry(
        at=t.at,
        actor_id=t.actor_id if people or named else None,
        kind=t.kind,
        status=t.status,
        detail=t.detail if people else "",
    )


def comment_view(c: records.Comment, *, people: bool) -> CommentView:
    return CommentView(
        id=c.id,
        at=c.at,
        author_id=c.author_id if people else None,
        author_role=c.author_role,
        kind=c.kind,
        body=c.body,
    )


def attachment_view(a: Attachment, *, people: bool = True) -> AttachmentView:
    return AttachmentView(
        id=a.id,
        request_id=a.request_id,
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        uploaded_by=a.uploaded_by if people else None,
        author_role=a.author_role,
        created_at=a.created_at,
    )


def download_headers(a: Attachment) -> dict[str, str]:
    """Always a download, never shown inline, never sniffed into something else: a file is
    whatever its bytes were checked to be, and it is private to the people on the request."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in a.filename)
    return {
        "content-disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(a.filename, safe='')}",
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        "content-length": str(a.size),
    }


def type_view(t: records.RequestType) -> TypeView:
    return TypeView(
        id=t.id,
        pool_id=t.pool_id,
        name={"nl": t.name_nl, "en": t.name_en},
        description={"nl": t.description_nl, "en": t.description_en},
        skill=t.skill,
        min_level=t.min_level,
        extra_skills=list(t.extra_skills),
        language=t.language,
        pickup_minutes=t.pickup_minutes,
        complete_minutes=t.complete_minutes,
        minutes_saved=t.minutes_saved,
        work_minutes=t.work_minutes,
        retired=t.retired_at is not None,
        retired_at=t.retired_at,
        updated_at=t.updated_at,
    )


def type_change_view(c: records.TypeChange) -> TypeChangeView:
    return TypeChangeView(at=c.at, actor_id=c.actor_id, kind=c.kind, fields=c.fields)
