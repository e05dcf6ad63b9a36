"""Recognition's HTTP API (v1) for leads and admins: the moderation queue, hiding or keeping a
reported kudos, a kudos' audit trail; and the organisation's values (read by all, set by admins and leads).
"""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from services.contracts.recognition_api import AuditEntry, KudosView, Moderation, ReportedKudos, ValueNames, ValueView
from services.platform.errors import Forbidden, NotFound
from services.platform.ids import Id
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.recognition import domain, kudos, store, wall
from services.recognition.answers import value_view

CallerRequest = Request[Caller, str, Any]


def _moderator(caller: Caller) -> None:
    if not domain.may_moderate(caller.roles):
        raise Forbidden("only a lead or an admin can moderate kudos")


class ModerationController(Controller):
    path = "/v1"
    tags = ["moderation"]  # noqa: RUF012

    @get("/reports", summary="Lead/admin: reported kudos awaiting a decision, oldest report first")
    async def reports(
        self,
        request: CallerRequest,
        conn: RequestConn,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[ReportedKudos]:
        _moderator(request.user)
        return await wall.reported(conn, request.user, limit)

    @post(
        "/kudos/{kudos_id:uuid}/hide",
        status_code=200,
        summary="Lead/admin: take a kudos off the wall, with a reason (the giver is told; the audit trail keeps it)",
    )
    async def hide(
        self,
        request: CallerRequest,
        conn: RequestConn,
        kudos_id: FromPath[UUID],
        data: JSONBody[Moderation],
    ) -> KudosView:
        await kudos.hide(conn, request.user, kudos_id, data.reason)
        return await wall.one(conn, request.user, kudos_id)

    @post(
        "/kudos/{kudos_id:uuid}/keep",
        status_code=204,
        summary="Lead/admin: the reported kudos stays on the wall; its open reports are closed",
    )
    async def keep(self, request: CallerRequest, conn: RequestConn, kudos_id: FromPath[UUID]) -> None:
        await kudos.keep(conn, request.user, kudos_id)

    @get("/kudos/{kudos_id:uuid}/audit", summary="Lead/admin: everything that happened to a kudos, oldest first")
    async def audit(self, request: CallerRequest, conn: RequestConn, kudos_id: FromPath[UUID]) -> list[AuditEntry]:
        _moderator(request.user)
        return await wall.audit_trail(conn, request.user, kudos_id)


class ValuesController(Controller):
    path = "/v1/values"
    tags = ["values"]  # noqa: RUF012

    @get("/", summary="The organisation's values, in Dutch and English, to tag kudos with")
    async def values(self, conn: RequestConn, include_retired: FromQuery[bool] = False) -> list[ValueView]:
        return [value_view(v) for v in await store.list_values(conn, include_retired=include_retired)]

    @put("/{value_id:str}", summary="Admin or lead: add or rename a value (a retired one comes back)")
    async def set_value(
        self,
        request: CallerRequest,
        conn: RequestConn,
        value_id: Annotated[str, PathParameter(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")],
        data: JSONBody[ValueNames],
    ) -> ValueView:
        _admin(request.user)
        return value_view(await store.upsert_value(conn, value_id, data.nl, data.en, data.position))

    @delete("/{value_id:str}", summary="Admin or lead: retire a value (kudos keep their tag; new kudos cannot use it)")
    async def retire(self, request: CallerRequest, conn: RequestConn, value_id: FromPath[Id]) -> None:
        _admin(request.user)
        if not await store.retire_value(conn, value_id):
            raise NotFound("no such value in use")


def _admin(caller: Caller) -> None:
    if not (caller.has("admin") or caller.has("lead")):
        raise Forbidden("only an admin or a lead can set the organisation's values")
