"""Recognition's HTTP API (v1) around finished work: my open invitations to thank (one tap
sends a kudos to everyone who worked on the request), and the pools' team-level digests."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.contracts.recognition_api import DigestSchedule, DigestView, KudosView, PoolView, PromptThanks, PromptView
from services.platform.errors import Forbidden
from services.platform.ids import Id
from services.platform.runtime import Runtime
from services.platform.tokens import Caller
from services.platform.unit_of_work import RequestConn
from services.recognition import digests, domain, prompts, store, store_work, wall
from services.recognition.answers import prompt_view
from services.recognition.config import RecognitionConfig

CallerRequest = Request[Caller, str, Any]


class PromptsController(Controller):
    path = "/v1/prompts"
    tags = ["thanks for work"]  # noqa: RUF012

    @get("/", summary="My open invitations to thank, newest first (expired, used or set aside ones are gone)")
    async def mine(self, request: CallerRequest, conn: RequestConn) -> list[PromptView]:
        return [prompt_view(p) for p in await store_work.open_prompts(conn, request.user.account_id, prompts.now())]

    @post(
        "/{prompt_id:uuid}/kudos",
        status_code=201,
        summary="One tap: thank everyone who worked on the request, tied to it (body optional)",
        description="Without a message the suggested one in `language` is sent. 409 once thanked, set aside or expired.",
    )
    async def thank(
        self,
        request: CallerRequest,
        runtime: NamedDependency[Runtime],
        conn: RequestConn,
        config: NamedDependency[RecognitionConfig],
        prompt_id: FromPath[UUID],
        data: JSONBody[PromptThanks | None] = None,
    ) -> KudosView:
        given = await prompts.thank(
            conn, request.user, prompt_id, data or PromptThanks(), config, runtime.settings.zone
        )
        return (await wall.present(conn, [given], request.user))[0]

    @post("/{prompt_id:uuid}/dismiss", status_code=204, summary="Set an invitation to thank aside (it does not return)")
    async def dismiss(self, request: CallerRequest, conn: RequestConn, prompt_id: FromPath[UUID]) -> None:
        await prompts.dismiss(conn, request.user, prompt_id)


class DigestsController(Controller):
    path = "/v1"
    tags = ["digests"]  # noqa: RUF012

    @get(
        "/pools/{pool_id:str}/digests",
        summary="A pool's digests, newest period first: team-level figures and three highlighted kudos",
        description="Figures are the pool's, never a person's: requests handled, manager minutes saved, on-time"
        " share, kudos given and received by the pool. Highlights are the period's kudos with most reactions.",
    )
    async def of_pool(
        self,
        request: CallerRequest,
        conn: RequestConn,
        pool_id: FromPath[Id],
        limit: Annotated[int, QueryParameter(ge=1, le=52)] = 8,
    ) -> list[DigestView]:
        return await digests.of_pool(conn, request.user, pool_id, limit)

    @get("/digests/{digest_id:uuid}", summary="One digest")
    async def one(self, request: CallerRequest, conn: RequestConn, digest_id: FromPath[UUID]) -> DigestView:
        return await digests.one(conn, request.user, digest_id)

    @get("/pools/{pool_id:str}/digest-schedule", summary="How often the pool's digest appears")
    async def schedule(
        self, conn: RequestConn, config: NamedDependency[RecognitionConfig], pool_id: FromPath[Id]
    ) -> PoolView:
        known = await store.pool(conn, pool_id)
        seconds = known.digest_period_seconds if known else None
        return PoolView(id=pool_id, digest_every_days=(seconds or config.digest_period_seconds) / domain.DAY)

    @put(
        "/pools/{pool_id:str}/digest-schedule",
        summary="The pool's lead, or an admin: every how many days its digest appears",
    )
    async def set_schedule(
        self,
        request: CallerRequest,
        conn: RequestConn,
        config: NamedDependency[RecognitionConfig],
        pool_id: FromPath[Id],
        data: JSONBody[DigestSchedule],
    ) -> PoolView:
        caller = request.user
        if not (caller.has("admin") or (caller.has("lead") and caller.in_pool(pool_id))):
            raise Forbidden("only the pool's lead or an admin can set when its digest appears")
        seconds = data.every_days * domain.DAY if data.every_days is not None else None
        await store.set_digest_period(conn, pool_id, seconds)
        return PoolView(id=pool_id, digest_every_days=(seconds or config.digest_period_seconds) / domain.DAY)
