"""Intake's service layer for people's steps on a request: submit, move on (the member),
cancel, rate. Each runs in the caller's transaction (see changes.py).
"""

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from services.contracts.intake import RequestCancelled, RequestCompleted, RequestRated, RequestSubmitted
from services.contracts.intake_api import Cancellation, NewRating, NewRequest, StatusChange
from services.intake import access, changes, conversation, domain, records, store, store_attachments, store_catalogue
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Forbidden, Invalid
from services.platform.tokens import Caller


async def submit(conn: Conn, caller: Caller, body: NewRequest) -> tuple[records.Request, bool]:
    """Store a new request and its RequestSubmitted; the same idempotency key returns the
    first request unchanged (created=False)."""
    rtype = await store_catalogue.get_type(conn, body.type_id)
    submitted_at = changes.now()
    try:
        _check(rtype, caller, body, submitted_at)
    except (Invalid, Forbidden):
        # A replayed form (offline queue, a second tap) whose first send was stored is answered
        # with that request, even when its type was retired or its date has passed since.
        if (first := await _replayed(conn, caller, body)) is not None:
            return first, False
        raise
    assert rtype is not None
    level = domain.ServiceLevel(rtype.pickup_minutes, rtype.complete_minutes)
    pickup_due, done_due = domain.due_times(submitted_at, level, body.urgency)
    language = body.language if rtype.language == "any" else rtype.language
    request_id = uuid4()
    submitted = RequestSubmitted(
        event_id=uuid4(),
        occurred_at=submitted_at,
        request_id=str(request_id),
        version=1,
        pool_id=rtype.pool_id,
        requester_id=caller.account_id,
        on_behalf_of=body.on_behalf_of,
        type_id=rtype.id,
        skill=rtype.skill,
        min_level=rtype.min_level,
        language=language,
        urgency=body.urgency,
        pickup_due_at=pickup_due,
        done_due_at=done_due,
        work_minutes=rtype.work_minutes,
    )
    # One statement stores the request, its first timeline entry and its event, and gives it
    # back as stored (a refused attachment below rolls all of it back).
    created = await store.insert_request(
        conn,
        records.NewRequest(
            id=request_id,
            pool_id=rtype.pool_id,
            requester_id=caller.account_id,
            on_behalf_of=body.on_behalf_of,
            type_id=rtype.id,
            idempotency_key=body.idempotency_key,
            description=body.description,
            urgency=body.urgency,
            wished_for=body.wished_for,
            language=language,
            submitted_at=submitted_at,
            pickup_due_at=pickup_due,
            done_due_at=done_due,
        ),
        submitted,
    )
    if created is None:  # this idempotency key was used before (a replay, or a concurrent twin)
        first = await _replayed(conn, caller, body)
        assert first is not None
        return first, False
    wanted = set(body.attachment_ids)
    if wanted and len(await store_attachments.claim_staged(conn, list(wanted), caller.account_id, request_id)) < len(
        wanted
    ):
        raise Invalid("attachment_ids: a file was not found (an upload is kept for a day); send it again")
    return created, True


def _check(rtype: records.RequestType | None, caller: Caller, body: NewRequest, submitted_at: datetime) -> None:
    if rtype is None or rtype.retired_at is not None:
        raise Invalid(f"type_id: there is no request type '{body.type_id}' that can be requested")
    if not caller.in_pool(rtype.pool_id):
        raise Forbidden(f"type_id: '{body.type_id}' belongs to a pool that does not serve you")
    if body.on_behalf_of == caller.account_id:
        raise Invalid("on_behalf_of: leave this empty when the request is for yourself")
    # A day of slack: the requester's "today" may still be yesterday in UTC.
    if body.wished_for is not None and body.wished_for < (submitted_at - timedelta(days=1)).date():
        raise Invalid("wished_for: the wished-for date is in the past")


async def _replayed(conn: Conn, caller: Caller, body: NewRequest) -> records.Request | None:
    """The request this idempotency key made before, if any; the replay's uploads are dropped."""
    first = await store.request_by_key(conn, caller.account_id, body.idempotency_key)
    if first is not None:
        await store_attachments.delete_staged(conn, body.attachment_ids, caller.account_id)
    return first


async def move(conn: Conn, caller: Caller, request_id: UUID, body: StatusChange) -> None:
    """The member on the request asks the requester a question, resumes, or completes it."""
    row = access.visible(await changes.locked(conn, request_id), caller)
    access.require_member_on(caller, row)
    domain.check_member_step(row.status, body.status)
    note = body.note.strip()
    if body.status == "waiting_on_requester":
        if not note:
            raise Invalid("note: say what you need from the requester (your question)")
        await conversation.ask(conn, caller, row, note)
        return
    if body.status == "in_progress":
        version = await changes.resume(conn, row, actor_id=caller.account_id, kind="resumed")
    else:
        version = await complete(conn, row, actor_id=caller.account_id)
    if note:
        await changes.write_comment(
            conn, row, version, author_id=caller.account_id, role="member", kind="comment", body=note
        )


async def complete(conn: Conn, row: records.Request, *, actor_id: str) -> int:
    at = changes.now()
    late = at > row.done_due_at
    breach = at if late and row.done_breach_at is None else row.done_breach_at
    version = await changes.step(
        conn,
        row,
        status="done",
        kind="done",
        actor_id=actor_id,
        done_at=at,
        minutes_saved=row.type_minutes_saved,
        done_breach_at=breach,
    )
    helpers = [h for h in [*(row.helper_ids or ()), row.buddy_id] if h and h != row.member_id]
    await outbox.add(
        conn,
        RequestCompleted(
            event_id=uuid4(),
            occurred_at=at,
            request_id=str(row.id),
            version=version,
            pool_id=row.pool_id,
            requester_id=row.requester_id,
            on_behalf_of=row.on_behalf_of,
            member_id=row.member_id,
            helper_ids=list(dict.fromkeys(helpers)),
            type_id=row.type_id,
            skill=row.skill,
            minutes_saved=row.type_minutes_saved,
            on_time=not late,
        ),
    )
    return version


async def cancel(conn: Conn, caller: Caller, request_id: UUID, body: Cancellation) -> None:
    """The requester before work starts, or the pool's lead at any time."""
    row = access.visible(await changes.locked(conn, request_id), caller)
    by_lead = access.is_lead(caller, row.pool_id)
    if not by_lead:
        access.require_requester(caller, row, "cancel this request (or the pool's lead)")
    domain.check_cancel(row.status, by_lead=by_lead)
    at = changes.now()
    reason = body.reason.strip()
    version = await changes.step(
        conn,
        row,
        status="cancelled",
        kind="cancelled",
        actor_id=caller.account_id,
        detail=reason,
        cancelled_at=at,
        waiting_since=None,
    )
    await outbox.add(
        conn,
        RequestCancelled(
            event_id=uuid4(),
            occurred_at=at,
            request_id=str(row.id),
            version=version,
            pool_id=row.pool_id,
            requester_id=row.requester_id,
            actor_id=caller.account_id,
            reason=reason,
            previous=row.status,
            member_id=row.member_id,
        ),
    )


async def rate(conn: Conn, caller: Caller, request_id: UUID, body: NewRating) -> int:
    """The requester rates a done request, once; returns the new version."""
    row = access.visible(await changes.locked(conn, request_id), caller)
    access.require_requester(caller, row, "rate this request")
    domain.check_rating(row.status, already_rated=row.rating is not None)
    at = changes.now()
    version = await changes.mark(
        conn,
        row,
        kind="rated",
        actor_id=caller.account_id,
        rating=body.rating,
        rating_comment=body.comment.strip(),
        rated_at=at,
    )
    await outbox.add(
        conn,
        RequestRated(
            event_id=uuid4(),
            occurred_at=at,
            request_id=str(row.id),
            version=version,
            pool_id=row.pool_id,
            requester_id=row.requester_id,
            rating=body.rating,
        ),
    )
    return version
