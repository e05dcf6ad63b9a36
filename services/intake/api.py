"""Intake's HTTP API (v1): submit and read requests, list request types."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from services.intake import lifecycle, store
from services.intake.views import (
    NewRequest,
    RequestView,
    TimelineEntry,
    TypeView,
    request_view,
    type_view,
)
from services.platform.errors import Forbidden, NotFound
from services.platform.runtime import Runtime
from services.platform.tokens import Caller

CallerRequest = Request[Caller, str, Any]


class RequestsController(Controller):
    path = "/v1/requests"
    tags = ["requests"]  # noqa: RUF012

    @post("/", status_code=201, summary="Submit a request (idempotent per idempotency_key)")
    async def submit(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], data: JSONBody[NewRequest]
    ) -> Response[RequestView]:
        async with runtime.pool.acquire() as conn, conn.transaction():
            row, created = await lifecycle.submit(conn, request.user, data)
        return Response(request_view(row), status_code=201 if created else 200)

    @get("/", summary="My requests: submitted by me or on my behalf, newest first")
    async def mine(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[RequestView]:
        async with runtime.pool.acquire() as conn:
            rows = await store.requests_of(conn, request.user.account_id, limit)
        return [request_view(r) for r in rows]

    @get("/{request_id:uuid}", summary="One request")
    async def one(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], request_id: FromPath[UUID]
    ) -> RequestView:
        async with runtime.pool.acquire() as conn:
            row = await store.get_request(conn, request_id)
        return request_view(_visible(row, request.user))

    @get("/{request_id:uuid}/timeline", summary="What happened to a request, oldest first")
    async def timeline(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], request_id: FromPath[UUID]
    ) -> list[TimelineEntry]:
        async with runtime.pool.acquire() as conn:
            _visible(await store.get_request(conn, request_id), request.user)
            rows = await store.timeline_of(conn, request_id)
        return [
            TimelineEntry(
                at=r["at"],
                actor_id=r["actor_id"],
                kind=r["kind"],
                status=r["status"],
                detail=r["detail"],
            )
            for r in rows
        ]


def _visible(row: Any, caller: Caller) -> Any:
    """A request is visible to its requester, the person it is for, and its pool's members."""
    if row is None:
        raise NotFound("no such request")
    if caller.account_id in (row["requester_id"], row["on_behalf_of"]) or caller.in_pool(row["pool_id"]):
        return row
    raise Forbidden("this request belongs to someone else")


class TypesController(Controller):
    path = "/v1/request-types"
    tags = ["request types"]  # noqa: RUF012

    @get("/", summary="Request types that can be requested now")
    async def list_types(
        self, runtime: NamedDependency[Runtime], include_retired: FromQuery[bool] = False
    ) -> list[TypeView]:
        async with runtime.pool.acquire() as conn:
            rows = await store.list_types(conn, None, include_retired=include_retired)
        return [type_view(t) for t in rows]
