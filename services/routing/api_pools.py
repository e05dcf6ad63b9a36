"""Routing's HTTP API (v1) for the pool itself: members and presence, learning goals, skill
levels (propose/confirm), and the routing policy the pool owns, with its history."""

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.contracts.routing_api import (
    Learning,
    LevelProposal,
    MemberView,
    MyProfile,
    PolicyChange,
    PolicyChangeView,
    PolicyView,
    Presence,
    ProposalView,
)
from services.platform.db import Conn
from services.platform.errors import Forbidden, Invalid, NotFound
from services.platform.ids import Id
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.routing import assignment, availability, domain, members, store_members, store_policy, store_rota
from services.routing.answers import member_view, my_profile, proposal_view
from services.routing.api import pool_member

CallerRequest = Request[Caller, str, Any]


async def _policy_view(conn: Conn, pool_id: str) -> PolicyView:
    row = await store_policy.get_policy(conn, pool_id)
    current = await assignment.policy_of(conn, pool_id)
    return PolicyView(
        pool_id=pool_id,
        version=row.version if row else 0,
        policy=msgspec.to_builtins(current),
        updated_by=row.updated_by if row else None,
        updated_at=row.updated_at if row else None,
    )


class PoolController(Controller):
    path = "/v1"
    tags = ["members and policy"]  # noqa: RUF012

    @get("/pools/{pool_id:str}/members", summary="The pool's members: skills, languages, presence")
    async def members(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], conn: RequestConn, pool_id: FromPath[Id]
    ) -> list[MemberView]:
        if not request.user.has("admin"):
            pool_member(request.user, pool_id)  # staff who send the pool work do not see its members
        rows = await store_members.members_of(conn, pool_id)
        weeks = {m.id: store_rota.decode_week(m.hours) for m in rows}
        states = await availability.availability(conn, pool_id, weeks, assignment.now(), runtime.settings.zone)
        return [member_view(m, shift=states[m.id].state) for m in rows]

    @get("/members/me", summary="My own member profile, with my experience")
    async def me(self, request: CallerRequest, conn: RequestConn) -> MyProfile:
        row = await store_members.member(conn, request.user.account_id)
        if row is None:
            raise NotFound("you are not a member of a pool")
        return my_profile(row)

    @put("/members/me/presence", summary="Set my presence; going away hands back open offers")
    async def presence(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], conn: RequestConn, data: JSONBody[Presence]
    ) -> MemberView:
        row = await members.set_presence(
            conn,
            request.user.account_id,
            data.presence,
            hand_back_work=data.hand_back_work,
            zone=runtime.settings.zone,
        )
        return member_view(row)

    @put("/members/me/learning", summary="Set the skills I want to grow in")
    async def learning(self, request: CallerRequest, conn: RequestConn, data: JSONBody[Learning]) -> MemberView:
        return member_view(await members.set_learning(conn, request.user.account_id, data.skills))

    @post("/skill-proposals", summary="Propose a colleague's skill level (another member confirms)")
    async def propose(
        self,
        request: CallerRequest,
        conn: RequestConn,
        data: JSONBody[LevelProposal],
    ) -> ProposalView:
        row = await members.propose_level(conn, request.user, data.member_id, data.skill, data.level, data.why)
        return proposal_view(row)

    @post("/skill-proposals/{proposal_id:uuid}/confirm", status_code=200, summary="Confirm a colleague's proposal")
    async def confirm(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], conn: RequestConn, proposal_id: FromPath[UUID]
    ) -> ProposalView:
        return proposal_view(await members.confirm_level(conn, request.user, proposal_id, zone=runtime.settings.zone))

    @get("/pools/{pool_id:str}/skill-proposals", summary="The pool's recent skill-level proposals")
    async def proposals(self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[Id]) -> list[ProposalView]:
        pool_member(request.user, pool_id)
        return [proposal_view(r) for r in await store_members.proposals_of(conn, pool_id)]

    @get("/pools/{pool_id:str}/policy", summary="The pool's routing policy")
    async def policy(self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[Id]) -> PolicyView:
        if not request.user.in_pool(pool_id):
            raise Forbidden("you are not in this pool")
        return await _policy_view(conn, pool_id)

    @put("/pools/{pool_id:str}/policy", summary="The pool changes its routing policy (who, when and why are kept)")
    async def change_policy(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[Id],
        data: JSONBody[PolicyChange],
    ) -> PolicyView:
        pool_member(request.user, pool_id)
        current = await assignment.policy_of(conn, pool_id)
        try:
            changed = domain.apply_change(current, data)
        except (ValueError, msgspec.ValidationError) as exc:
            raise Invalid(str(exc)) from exc
        changes = domain.changed_fields(current, changed)
        if not changes:
            raise Invalid("the proposed policy is the same as the current one")
        await store_policy.put_policy(
            conn, pool_id, msgspec.to_builtins(changed), request.user.account_id, data.why, changes
        )
        return await _policy_view(conn, pool_id)

    @get("/pools/{pool_id:str}/policy/changes", summary="The policy's change history: who, when, why, what (old → new)")
    async def policy_changes(
        self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[Id]
    ) -> list[PolicyChangeView]:
        if not request.user.in_pool(pool_id):
            raise Forbidden("you are not in this pool")
        rows = await store_policy.policy_changes(conn, pool_id)
        return [
            PolicyChangeView(
                at=r.at,
                changed_by=r.changed_by,
                why=r.why,
                policy=r.policy,
                changes=r.changes,
            )
            for r in rows
        ]
