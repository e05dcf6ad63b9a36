"""Routing's HTTP API (v1) for the work itself: my offers, accept/decline, the pool queue,
the lead's queue, and why a request went to whom."""

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.contracts.routing_api import DecisionView, Decline, LeadAssignment, OfferView, QueuedView, ReasonView
from services.platform.api_keys import INTEGRATION
from services.platform.errors import Forbidden, NotFound
from services.platform.ids import Id
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.routing import assignment, escalation, records, store
from services.routing.answers import decision_view, offer_view

CallerRequest = Request[Caller, str, Any]


def pool_member(caller: Caller, pool_id: str) -> None:
    if not caller.in_pool(pool_id) or not (caller.has("secretary") or caller.has("lead") or caller.has(INTEGRATION)):
        raise Forbidden("only the pool's members and lead see this")


class WorkController(Controller):
    path = "/v1"
    tags = ["offers and queues"]  # noqa: RUF012

    @get("/members/me/offers", summary="My open offers and accepted work")
    async def my_offers(self, request: CallerRequest, conn: RequestConn) -> list[OfferView]:
        return [offer_view(r) for r in await store.offers_for_member(conn, request.user.account_id)]

    @post("/offers/{offer_id:uuid}/accept", status_code=200, summary="Accept an offer made to me")
    async def accept(
        self, request: CallerRequest, runtime: NamedDependency[Runtime], conn: RequestConn, offer_id: FromPath[UUID]
    ) -> dict[str, str]:
        await assignment.answer(conn, offer_id, request.user.account_id, zone=runtime.settings.zone, accept=True)
        return {"status": "accepted"}

    @post("/offers/{offer_id:uuid}/decline", status_code=200, summary="Decline an offer, with a reason")
    async def decline(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        offer_id: FromPath[UUID],
        data: JSONBody[Decline],
    ) -> dict[str, str]:
        await assignment.answer(
            conn, offer_id, request.user.account_id, zone=runtime.settings.zone, accept=False, reason=data.reason
        )
        return {"status": "declined"}

    @get("/pools/{pool_id:str}/queue", summary="Requests waiting in the pool queue, in offer order")
    async def queue(self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[Id]) -> list[QueuedView]:
        pool_member(request.user, pool_id)
        rows = await store.queue_of(conn, pool_id)
        return [_queued(i, r) for i, r in enumerate(rows, 1)]

    @get("/pools/{pool_id:str}/lead-queue", summary="Requests the pool could not take: the lead's queue")
    async def lead_queue(self, request: CallerRequest, conn: RequestConn, pool_id: FromPath[Id]) -> list[QueuedView]:
        pool_member(request.user, pool_id)
        rows = await store.queue_of(conn, pool_id, lead_only=True)
        found = []
        for i, r in enumerate(rows, 1):
            latest = await store.latest_decision(conn, r.request_id)
            found.append(_queued(i, r, latest))
        return found

    @post("/requests/{request_id:str}/assign", status_code=200, summary="Lead: offer a waiting request to a member")
    async def assign(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        request_id: FromPath[Id],
        data: JSONBody[LeadAssignment],
    ) -> dict[str, str]:
        await escalation.assign_by_lead(conn, request.user, request_id, data.member_id, zone=runtime.settings.zone)
        return {"status": "offered"}

    @get(
        "/requests/{request_id:str}/decisions",
        summary="Why a request went to whom (for the pool): the latest decision, the chosen member's reasons "
        "and the others counted per reason (never a score per person, never who declined)",
    )
    async def decisions(
        self, request: CallerRequest, conn: RequestConn, request_id: FromPath[Id]
    ) -> list[DecisionView]:
        req = await store.routed_request(conn, request_id)
        if req is None:
            raise NotFound("routing has no such request")
        pool_member(request.user, req.pool_id)
        latest = await store.latest_decision(conn, request_id)
        if latest is None:
            return []
        # Only the latest: a series of decisions would tell who was offered it and declined.
        return [decision_view(latest, await store.count_decisions(conn, request_id) - 1)]


def _queued(position: int, r: records.RoutedRequest, latest: records.RecordedDecision | None = None) -> QueuedView:
    reasons = (
        [] if latest is None else [ReasonView(x.code, x.minutes, x.skill, x.level, x.language) for x in latest.reasons]
    )
    return QueuedView(
        request_id=r.request_id,
        position=position,
        skill=r.skill,
        urgency=r.urgency,
        language=r.language,
        submitted_at=r.submitted_at,
        lead_queue=r.lead_queue,
        reasons=reasons,
        others={} if latest is None else latest.others,
    )
