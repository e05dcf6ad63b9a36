"""Intake's HTTP API (v1) for a pool: its queue, its requests, and its team-level insights.
No route here returns figures per member (access.py explains why)."""

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from services.contracts.intake_api import PoolInsights, RequestView
from services.intake import access, changes, insights, store
from services.intake.answers import request_view
from services.intake.api import ALL, OPEN
from services.intake.api_docs import LIMIT, WEEKS, errors
from services.platform.errors import Invalid
from services.platform.ids import Id
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn

CallerRequest = Request[Caller, str, Any]
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)  # a sane window; beyond it dates overflow
PoolId = Id


class PoolsController(Controller):
    path = "/v1/pools/{pool_id:str}"
    tags = ["pools"]  # noqa: RUF012

    @get(
        "/queue",
        summary="Requests waiting to be picked up, in pick-up order, each with its position and "
        "expected pick-up (pool members and leads)",
        **errors(403),
    )
    async def queue(self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[PoolId]) -> list[RequestView]:
        access.require_pool_view(request.user, pool_id)
        rows = await store.pool_requests(conn, pool_id, ["submitted", "offered"], 1000)
        spots = await insights.queue_spots(conn, [pool_id], changes.now())
        views = [request_view(r, request.user, spots.get(r.id)) for r in rows]
        return sorted(views, key=lambda v: v.queue.position if v.queue else 0)

    @get(
        "/requests",
        summary="The pool's requests, newest first (pool members and leads; closed ones without who worked on them)",
        **errors(403),
    )
    async def requests(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        which: FromQuery[Literal["open", "closed", "all"]] = "open",
        limit: Annotated[int, LIMIT] = 50,
    ) -> list[RequestView]:
        access.require_pool_view(request.user, pool_id)
        statuses = {"open": OPEN, "closed": ["done", "cancelled"], "all": ALL}[which]
        rows = await store.pool_requests(conn, pool_id, statuses, limit)
        spots = await insights.queue_spots(conn, insights.waiting_pools(rows), changes.now())
        return [request_view(r, request.user, spots.get(r.id)) for r in rows]

    @get(
        "/insights",
        summary="Team-level figures per week and request type: requests in and done, pick-up and "
        "done times (median, p90), on-time share, average rating, manager minutes saved (pool members and leads)",
        **errors(403, 422),
    )
    async def insights(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        weeks: Annotated[int, WEEKS] = 8,
        until: Annotated[
            date | None, QueryParameter(description="A day in the last week shown (default: today)")
        ] = None,
    ) -> PoolInsights:
        access.require_pool_view(request.user, pool_id)
        tz = runtime.settings.zone
        last = until or changes.now().astimezone(tz).date()
        if not EARLIEST <= last <= LATEST:
            raise Invalid(f"until: pick a day between {EARLIEST} and {LATEST}")
        return await insights.pool_insights(conn, pool_id, weeks=weeks, until=last, tz=tz)
