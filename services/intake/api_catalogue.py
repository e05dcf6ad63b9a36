"""Intake's HTTP API (v1) for request types: everyone lists them; a pool's leads (and admins)
create, edit, retire and reinstate them, and see each type's change history."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from services.contracts.intake_api import PRINTABLE, NewType, TypeChangeView, TypeFields, TypeView
from services.intake import catalogue, store_catalogue
from services.intake.answers import type_change_view, type_view
from services.intake.api_docs import errors
from services.platform.ids import Id
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn

CallerRequest = Request[Caller, str, Any]
TypeId = Id


class TypesController(Controller):
    path = "/v1/request-types"
    tags = ["request types"]  # noqa: RUF012

    @get("/", summary="Request types, by English name (retired ones only when asked)", **errors())
    async def list_types(
        self,
        conn: RequestConn,
        pool_id: Annotated[
            str | None, QueryParameter(max_length=100, pattern=PRINTABLE, description="Only this pool's types")
        ] = None,
        include_retired: FromQuery[bool] = False,
    ) -> list[TypeView]:
        rows = await store_catalogue.list_types(
            conn, None if pool_id is None else [pool_id], include_retired=include_retired
        )
        return [type_view(t) for t in rows]

    @post("/", status_code=201, summary="Create a request type (a lead of its pool)", **errors(403, 409, 422))
    async def create(self, request: CallerRequest, conn: RequestConn, data: JSONBody[NewType]) -> TypeView:
        return type_view(await catalogue.create(conn, request.user, data))

    @get("/{type_id:str}", summary="One request type (also a retired one)", **errors(404))
    async def one(self, conn: RequestConn, type_id: FromPath[TypeId]) -> TypeView:
        return type_view(await catalogue.get(conn, type_id))

    @put(
        "/{type_id:str}",
        summary="Edit a request type: all its fields (a lead of its pool)",
        **errors(403, 404, 409, 422),
    )
    async def edit(
        self,
        request: CallerRequest,
        conn: RequestConn,
        type_id: FromPath[TypeId],
        data: JSONBody[TypeFields],
    ) -> TypeView:
        return type_view(await catalogue.edit(conn, request.user, type_id, data))

    @post(
        "/{type_id:str}/retire",
        status_code=200,
        summary="Retire a type: no new requests; its history stays (a lead of its pool)",
        **errors(403, 404, 409),
    )
    async def retire(self, request: CallerRequest, conn: RequestConn, type_id: FromPath[TypeId]) -> TypeView:
        return type_view(await catalogue.set_retired(conn, request.user, type_id, retired=True))

    @post(
        "/{type_id:str}/reinstate",
        status_code=200,
        summary="Make a retired type requestable again (a lead of its pool)",
        **errors(403, 404, 409),
    )
    async def reinstate(self, request: CallerRequest, conn: RequestConn, type_id: FromPath[TypeId]) -> TypeView:
        return type_view(await catalogue.set_retired(conn, request.user, type_id, retired=False))

    @get("/{type_id:str}/history", summary="Who changed the type when, and what (oldest first)", **errors(404))
    async def history(self, conn: RequestConn, type_id: FromPath[TypeId]) -> list[TypeChangeView]:
        await catalogue.get(conn, type_id)
        return [type_change_view(c) for c in await store_catalogue.changes_of(conn, type_id)]
