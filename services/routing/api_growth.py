"""Routing's HTTP API (v1) for growth: a member's own growth (404 for anyone else, the lead
too: there is nothing to see about someone else) and the pool's skill coverage (counts only)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath

from services.contracts.routing_api import Coverage, MyGrowth
from services.platform.errors import NotFound
from services.platform.ids import Id
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.routing import growth, store_growth, store_members
from services.routing.api import pool_member

CallerRequest = Request[Caller, str, Any]
DEMAND_WEEKS = 8


class GrowthController(Controller):
    path = "/v1"
    tags = ["members and policy"]  # noqa: RUF012

    @get(
        "/members/{member_id:str}/growth",
        summary="My growth: levels over time, learning goals and how far along, development assignments with "
        "their buddy (the member alone; anyone else gets 404)",
    )
    async def mine(self, request: CallerRequest, conn: RequestConn, member_id: FromPath[Id]) -> MyGrowth:
        if request.user.account_id != member_id:
            raise NotFound("no such member")  # the same answer whether or not they exist
        row = await store_members.member(conn, member_id)
        if row is None:
            raise NotFound("no such member")
        changes = await store_growth.level_changes(conn, member_id)
        development = await store_growth.development_done(conn, member_id)
        return growth.my_growth(
            member_id,
            {k: int(v) for k, v in row.skills.items()},
            list(row.learning),
            {k: int(v) for k, v in row.experience.items()},
            changes,
            development,
        )

    @get(
        "/pools/{pool_id:str}/coverage",
        summary="The pool's skill coverage: members per level, holders, learners and demand per skill; skills "
        "resting on one or two people flagged (counts only)",
    )
    async def coverage(self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[Id]) -> list[Coverage]:
        pool_member(request.user, pool_id)
        since = datetime.now(UTC) - timedelta(weeks=DEMAND_WEEKS)
        rows = await store_members.members_of(conn, pool_id)
        demand = await store_growth.demand(conn, pool_id, since)
        members = [({k: int(v) for k, v in m.skills.items()}, list(m.learning)) for m in rows if m.active]
        return growth.coverage(members, demand)
