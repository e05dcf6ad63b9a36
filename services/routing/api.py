"""Routing's HTTP API (v1): members and presence, offers to answer, decision explanations."""

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.platform.errors import Forbidden, NotFound
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.routing import assignment, store

CallerRequest = Request[Caller, str, Any]


class Decline(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class Presence(msgspec.Struct, forbid_unknown_fields=True):
    presence: Literal["available", "away", "off_duty"]


class MemberView(msgspec.Struct):
    id: str
    pool_id: str
    name: str
    skills: dict[str, int]
    learning: list[str]
    languages: list[str]
    capacity: int
    presence: str


class OfferView(msgspec.Struct):
    id: UUID
    request_id: str
    member_id: str
    status: str
    development: bool
    buddy_id: str | None
    expires_at: Any
    skill: str
    urgency: str


class DecisionView(msgspec.Struct):
    at: Any
    member_id: str | None
    development: bool
    buddy_id: str | None
    why: str
    candidates: list[dict[str, Any]]


def member_view(m: Any) -> MemberView:
    skills = m["skills"] if isinstance(m["skills"], dict) else msgspec.json.decode(m["skills"])
    return MemberView(
        id=m["id"],
        pool_id=m["pool_id"],
        name=m["name"],
        skills=skills,
        learning=list(m["learning"]),
        languages=list(m["languages"]),
        capacity=m["capacity"],
        presence=m["presence"],
    )


class RoutingController(Controller):
    path = "/v1"
    tags = ["routing"]  # noqa: RUF012

    @get("/pools/{pool_id:str}/members", summary="The pool's members: skills, languages, presence")
    async def members(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], pool_id: FromPath[str]
    ) -> list[MemberView]:
        if not request.user.in_pool(pool_id):
            raise Forbidden("you are not in this pool")
        async with runtime.pool.acquire() as conn:
            return [member_view(m) for m in await store.members_of(conn, pool_id)]

    @put("/members/me/presence", summary="Set my presence; going away hands back open offers")
    async def presence(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], data: JSONBody[Presence]
    ) -> MemberView:
        async with runtime.pool.acquire() as conn, conn.transaction():
            row = await assignment.set_presence(conn, request.user.account_id, data.presence)
        return member_view(row)

    @get("/members/me/offers", summary="My open offers and accepted work")
    async def my_offers(self, request: CallerRequest, runtime: NamedDependency[Runtime]) -> list[OfferView]:
        async with runtime.pool.acquire() as conn:
            rows = await store.offers_for_member(conn, request.user.account_id)
        return [
            OfferView(
                id=r["id"],
                request_id=r["request_id"],
                member_id=r["member_id"],
                status=r["status"],
                development=r["development"],
                buddy_id=r["buddy_id"],
                expires_at=r["expires_at"],
                skill=r["skill"],
                urgency=r["urgency"],
            )
            for r in rows
        ]

    @post("/offers/{offer_id:uuid}/accept", status_code=200, summary="Accept an offer made to me")
    async def accept(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], offer_id: FromPath[UUID]
    ) -> dict[str, str]:
        async with runtime.pool.acquire() as conn, conn.transaction():
            await assignment.answer(conn, offer_id, request.user.account_id, accept=True)
        return {"status": "accepted"}

    @post(
        "/offers/{offer_id:uuid}/decline",
        status_code=200,
        summary="Decline an offer, with a reason",
    )
    async def decline(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        offer_id: FromPath[UUID],
        data: JSONBody[Decline],
    ) -> dict[str, str]:
        async with runtime.pool.acquire() as conn, conn.transaction():
            await assignment.answer(conn, offer_id, request.user.account_id, accept=False, reason=data.reason)
        return {"status": "declined"}

    @get("/requests/{request_id:str}/decisions", summary="Why a request went to whom (for the pool)")
    async def decisions(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], request_id: FromPath[str]
    ) -> list[DecisionView]:
        async with runtime.pool.acquire() as conn:
            req = await store.lock_request(conn, request_id)
            if req is None:
                raise NotFound("routing has no such request")
            if not request.user.in_pool(req["pool_id"]):
                raise Forbidden("only the pool can read its routing decisions")
            rows = await store.decisions_for(conn, request_id)
        return [
            DecisionView(
                at=r["at"],
                member_id=r["member_id"],
                development=r["development"],
                buddy_id=r["buddy_id"],
                why=r["why"],
                candidates=msgspec.json.decode(r["candidates"])
                if isinstance(r["candidates"], str)
                else r["candidates"],
            )
            for r in rows
        ]
