"""Intake's composition root: `create_app` builds settings, routes and consumers.

Run: `uvicorn --factory services.intake.app:create_app`.
"""

from litestar import Litestar

from services.demo import organisation
from services.intake import api, handlers, store
from services.platform.runtime import Runtime, service_app
from services.platform.settings import Settings


async def load_demo(rt: Runtime) -> None:
    """First start with SECPOOL_DEMO=1: the demo catalogue of request types."""
    if not rt.settings.demo:
        return
    async with rt.pool.acquire() as conn, conn.transaction():
        if await store.count_types(conn) == 0:
            for t in organisation().request_types:
                await store.upsert_type(conn, t)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env("intake")
    return service_app(
        settings=settings,
        schema="intake",
        package="services.intake",
        title="secpool intake",
        route_handlers=[api.RequestsController, api.TypesController],
        consumers=handlers.consumers,
        on_start=load_demo,
    )
