"""Intake's HTTP API (v1) for requests: submit, read (mine, assigned to me, one), its
timeline and conversation, and the steps people take: status, cancel, rate."""

import contextlib
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody

from services.contracts.intake_api import (
    Cancellation,
    CommentView,
    NewComment,
    NewRating,
    NewRequest,
    RatingView,
    RequestEdit,
    RequestView,
    StatusChange,
    TimelineEntry,
)
from services.intake import access, changes, conversation, edits, insights, lifecycle, records, store
from services.intake.answers import comment_view, request_view, timeline_entry
from services.intake.api_docs import LIMIT, SOME_IDS, errors
from services.platform.api_keys import INTEGRATION_WRITES
from services.platform.db import Conn
from services.platform.tokens import Caller
from services.platform.unit_of_work import OWN_TRANSACTION, RequestConn

CallerRequest = Request[Caller, str, Any]
OPEN = ["submitted", "offered", "in_progress", "waiting_on_requester"]
ALL = [*OPEN, "done", "cancelled"]


async def _view(conn: Conn, request_id: UUID, caller: Caller) -> RequestView:
    return await _shown(conn, await store.get_request(conn, request_id), caller)


async def _shown(conn: Conn, found: records.Request | None, caller: Caller) -> RequestView:
    row = access.visible(found, caller)
    spots = await insights.spots_of(conn, [row], changes.now())
    return request_view(row, caller, spots.get(row.id))


class RequestsController(Controller):
    path = "/v1/requests"
    tags = ["requests"]  # noqa: RUF012

    @post(
        "/",
        status_code=201,
        summary="Submit a request (201; the same idempotency_key again: 200, the first one)",
        responses={200: ResponseSpec(RequestView, description="This idempotency_key was used: the first request")},
        opt={INTEGRATION_WRITES: True, OWN_TRANSACTION: True},
        **errors(403, 422),
    )
    async def submit(
        self, request: CallerRequest, conn: RequestConn, data: JSONBody[NewRequest]
    ) -> Response[RequestView]:
        # Without files one statement stores the request, its timeline entry and its event; with
        # files, a refused one must undo that statement too.
        async with conn.transaction() if data.attachment_ids else contextlib.nullcontext():
            row, created = await lifecycle.submit(conn, request.user, data)
        view = await _shown(conn, row, request.user)
        return Response(view, status_code=201 if created else 200)

    @get(
        "/",
        summary="My requests: submitted by me or on my behalf, newest first; waiting ones with their queue spot",
        **errors(),
    )
    async def mine(
        self, request: CallerRequest, conn: RequestConn, limit: Annotated[int, LIMIT] = 50
    ) -> list[RequestView]:
        rows = await store.requests_of(conn, request.user.account_id, limit)
        spots = await insights.spots_of(conn, rows, changes.now())
        return [request_view(r, request.user, spots.get(r.id)) for r in rows]

    @get("/assigned", summary="Requests I work on (member, buddy or helper), newest first", **errors())
    async def assigned(
        self,
        request: CallerRequest,
        conn: RequestConn,
        which: FromQuery[Literal["open", "closed", "all"]] = "open",
        limit: Annotated[int, LIMIT] = 50,
    ) -> list[RequestView]:
        statuses = {"open": OPEN, "closed": ["done", "cancelled"], "all": ALL}[which]
        rows = await store.requests_worked_by(conn, request.user.account_id, statuses, limit)
        return [request_view(r, request.user) for r in rows]

    @get(
        "/by-id",
        summary="Several requests at once, by id (up to 100): those the caller may see; others are left out",
        **errors(),
    )
    async def by_id(
        self, request: CallerRequest, conn: RequestConn, ids: Annotated[list[UUID], SOME_IDS]
    ) -> list[RequestView]:
        # One call for a page that lists many requests (a member's offers, a lead's queue)
        # instead of one call per request; unreadable ones are left out as a missing one is.
        rows = [r for r in await store.requests_by_ids(conn, ids) if access.can_see(request.user, r)]
        spots = await insights.spots_of(conn, rows, changes.now())
        return [request_view(r, request.user, spots.get(r.id)) for r in rows]

    @get(
        "/{request_id:uuid}",
        summary="One request (its requester, the people on it, its pool's members and leads)",
        **errors(403, 404),
    )
    async def one(self, request: CallerRequest, conn: RequestConn, request_id: FromPath[UUID]) -> RequestView:
        return await _view(conn, request_id, request.user)

    @get("/{request_id:uuid}/timeline", summary="What happened to a request, oldest first", **errors(403, 404))
    async def timeline(
        self, request: CallerRequest, conn: RequestConn, request_id: FromPath[UUID]
    ) -> list[TimelineEntry]:
        row = access.visible(await store.get_request(conn, request_id), request.user)
        rows = await store.timeline_of(conn, request_id)
        people = access.sees_people(request.user, row)
        return [timeline_entry(t, people=people, named=access.names_actor(request.user, row, t.actor_id)) for t in rows]

    @patch(
        "/{request_id:uuid}",
        summary="The requester corrects the request before it is picked up: description, urgency (due times "
        "follow), wished-for date. 409 once work has started",
        **errors(403, 404, 409, 422),
    )
    async def edit(
        self,
        request: CallerRequest,
        conn: RequestConn,
        request_id: FromPath[UUID],
        data: JSONBody[RequestEdit],
    ) -> RequestView:
        await edits.edit(conn, request.user, request_id, data)
        return await _view(conn, request_id, request.user)

    @post(
        "/{request_id:uuid}/status",
        status_code=200,
        summary="The member on it: ask a question "
        "(waiting_on_requester, note = the question), resume (in_progress) or complete (done)",
        **errors(403, 404, 409, 422),
    )
    async def status(
        self,
        request: CallerRequest,
        conn: RequestConn,
        request_id: FromPath[UUID],
        data: JSONBody[StatusChange],
    ) -> RequestView:
        await lifecycle.move(conn, request.user, request_id, data)
        return await _view(conn, request_id, request.user)

    @post(
        "/{request_id:uuid}/cancel",
        status_code=200,
        summary="Cancel: the requester before work starts, the pool's lead at any time",
        **errors(403, 404, 409),
    )
    async def cancel(
        self,
        request: CallerRequest,
        conn: RequestConn,
        request_id: FromPath[UUID],
        data: JSONBody[Cancellation],
    ) -> RequestView:
        await lifecycle.cancel(conn, request.user, request_id, data)
        return await _view(conn, request_id, request.user)

    @post(
        "/{request_id:uuid}/rating",
        status_code=201,
        summary="The requester rates a done request 1–5, once",
        **errors(403, 404, 409),
    )
    async def rate(
        self,
        request: CallerRequest,
        conn: RequestConn,
        request_id: FromPath[UUID],
        data: JSONBody[NewRating],
    ) -> RatingView:
        version = await lifecycle.rate(conn, request.user, request_id, data)
        return RatingView(request_id=request_id, rating=data.rating, comment=data.comment.strip(), version=version)

    @get("/{request_id:uuid}/comments", summary="The request's conversation, oldest first", **errors(403, 404))
    async def comments(
        self, request: CallerRequest, conn: RequestConn, request_id: FromPath[UUID]
    ) -> list[CommentView]:
        row, rows = await conversation.comments(conn, request.user, request_id)
        return [comment_view(c, people=access.names_actor(request.user, row, c.author_id)) for c in rows]

    @post(
        "/{request_id:uuid}/comments",
        status_code=201,
        summary="Write on the request. The member may ask a "
        "question (question: true → waiting on requester); the requester's reply then resumes the work",
        **errors(403, 404, 409),
    )
    async def comment(
        self,
        request: CallerRequest,
        conn: RequestConn,
        request_id: FromPath[UUID],
        data: JSONBody[NewComment],
    ) -> CommentView:
        row = await conversation.comment(conn, request.user, request_id, data)
        return comment_view(row, people=True)
