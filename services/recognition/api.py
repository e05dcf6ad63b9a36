"""Recognition's HTTP API (v1) for everyone: give kudos, read the wall, react, report, my thanks.

Every response is JSON data: kudos messages come back exactly as typed and the pwa escapes them.
No endpoint orders or counts people by kudos received (the product's "no leaderboard" rule).
"""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.contracts.recognition_api import KudosView, NewKudos, NewReaction, NewReport, ReportView, WallPage
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.recognition import kudos, wall
from services.recognition.answers import report_view
from services.recognition.config import RecognitionConfig

CallerRequest = Request[Caller, str, Any]
Limit = Annotated[int, QueryParameter(ge=1, le=100, description="at most this many kudos")]
Before = Annotated[
    UUID | None, QueryParameter(description="the `next_before` of the previous page: kudos older than this one")
]


class KudosController(Controller):
    path = "/v1"
    tags = ["kudos"]  # noqa: RUF012

    @post(
        "/kudos",
        status_code=201,
        summary="Thank one or more colleagues, or a whole pool",
        description="Anyone may thank others (never themself), optionally with a value and a finished request."
        " 422 names the field at fault; 429 when the giver reached today's limit.",
    )
    async def give(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        config: NamedDependency[RecognitionConfig],
        data: JSONBody[NewKudos],
    ) -> KudosView:
        given = await kudos.give(conn, request.user, data, config, runtime.settings.zone)
        return (await wall.present(conn, [given], request.user))[0]

    @get("/wall", summary="The public wall: visible kudos, newest first, one page at a time")
    async def wall(
        self,
        request: CallerRequest,
        conn: RequestConn,
        limit: Limit = 20,
        before: Before = None,
        pool_id: Annotated[str | None, QueryParameter(description="only kudos given or received by this pool")] = None,
        value_id: Annotated[str | None, QueryParameter(description="only kudos tagged with this value")] = None,
    ) -> WallPage:
        return await wall.page(conn, request.user, limit=limit, before=before, pool_id=pool_id, value_id=value_id)

    @get(
        "/kudos/{kudos_id:uuid}",
        summary="One kudos",
        description="A hidden kudos is visible only to its giver, its recipients and moderators, with the reason.",
    )
    async def one(self, request: CallerRequest, conn: RequestConn, kudos_id: FromPath[UUID]) -> KudosView:
        return await wall.one(conn, request.user, kudos_id)

    @put(
        "/kudos/{kudos_id:uuid}/reaction",
        summary="React to a kudos (👏 ❤️ 🎉 🙏); one reaction per person, a new one replaces it",
    )
    async def react(
        self,
        request: CallerRequest,
        conn: RequestConn,
        kudos_id: FromPath[UUID],
        data: JSONBody[NewReaction],
    ) -> KudosView:
        await kudos.react(conn, request.user, kudos_id, data.emoji)
        return await wall.one(conn, request.user, kudos_id)

    @delete("/kudos/{kudos_id:uuid}/reaction", status_code=200, summary="Take back my reaction to a kudos")
    async def take_back(self, request: CallerRequest, conn: RequestConn, kudos_id: FromPath[UUID]) -> KudosView:
        await kudos.take_back(conn, request.user, kudos_id)
        return await wall.one(conn, request.user, kudos_id)

    @post(
        "/kudos/{kudos_id:uuid}/reports",
        status_code=201,
        summary="Report a kudos to the moderators (once per person: again answers 200 with the first report)",
    )
    async def report(
        self,
        request: CallerRequest,
        conn: RequestConn,
        kudos_id: FromPath[UUID],
        data: JSONBody[NewReport],
    ) -> Response[ReportView]:
        row, created = await kudos.report(conn, request.user, kudos_id, data.reason)
        return Response(report_view(row), status_code=201 if created else 200)

    @get(
        "/me/kudos",
        summary="My thanks: kudos I received (by name, or to a pool I work in), newest first, only for me",
        description="Each kudos carries the finished request it belongs to, if any. A list, never a count.",
    )
    async def received(
        self, request: CallerRequest, conn: RequestConn, limit: Limit = 20, before: Before = None
    ) -> WallPage:
        return await wall.received(conn, request.user, limit=limit, before=before)
