"""Recognition's composition root: settings, routes, consumers of intake's and identity's events,
demo values and the digest schedule. Run: `uvicorn --factory services.recognition.app:create_app`.
"""

from typing import Any

from litestar import Litestar, Request, Response
from litestar.di import Provide

from services.demo import organisation
from services.platform.runtime import Runtime, service_app
from services.platform.settings import Settings
from services.recognition import api, api_admin, api_privacy, api_work, digests, domain, handlers, store
from services.recognition.config import RecognitionConfig


async def load_demo(rt: Runtime) -> None:
    """First start with SECPOOL_DEMO=1: the organisation's values, its pools and who works there."""
    if not rt.settings.demo:
        return
    org = organisation()
    async with rt.pool.acquire() as conn, conn.transaction():
        if await store.count_values(conn) == 0:
            for position, v in enumerate(org.values, start=1):
                await store.upsert_value(conn, v["id"], v["nl"], v["en"], position)
        await store.note_pools(conn, [p["id"] for p in org.pools])
        for person in org.people:
            for pool_id in domain.working_pools(person.roles, person.pools):
                await store.note_members(conn, pool_id, [person.id])


def _limit_reached(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    return Response({"status_code": 429, "detail": str(exc)}, status_code=429)


def create_app(settings: Settings | None = None, config: RecognitionConfig | None = None) -> Litestar:
    settings = settings or Settings.from_env("recognition")
    chosen = config or RecognitionConfig.from_env()

    async def digest_schedule(rt: Runtime) -> None:
        await digests.run(rt.pool, chosen, rt.settings.zone)

    return service_app(
        settings=settings,
        schema="recognition",
        package="services.recognition",
        title="secpool recognition",
        route_handlers=[
            api.KudosController,
            api_admin.ModerationController,
            api_admin.ValuesController,
            api_work.PromptsController,
            api_work.DigestsController,
            api_privacy.PrivacyController,
        ],
        consumers=lambda rt: handlers.consumers(rt, chosen),
        on_start=load_demo,
        background=[digest_schedule],
        dependencies={"config": Provide(lambda: chosen, sync_to_thread=False)},
        exception_handlers={domain.LimitReached: _limit_reached},
    )
