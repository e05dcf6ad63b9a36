"""Intake's composition root: `create_app` builds settings, routes, consumers and the
service-level watch. Run: `uvicorn --factory services.intake.app:create_app`.
"""

from datetime import timedelta
from typing import Any

from litestar import Litestar, Request, Response
from litestar.di import Provide

from services.demo import organisation
from services.intake import api, api_catalogue, api_pools, handlers, heal, sla, store_catalogue
from services.intake.api_docs import close_bodies
from services.intake.config import IntakeConfig
from services.intake.domain import TransitionRefused
from services.intake.views import REQUEST_BODIES
from services.intake.views_catalogue import TYPE_BODIES
from services.platform.runtime import BackgroundTask, Runtime, service_app
from services.platform.settings import Settings


async def load_demo(rt: Runtime) -> None:
    """First start with SECPOOL_DEMO=1: the demo catalogue of request types."""
    if not rt.settings.demo:
        return
    async with rt.pool.acquire() as conn, conn.transaction():
        if await store_catalogue.count_types(conn) == 0:
            for t in organisation().request_types:
                await store_catalogue.upsert_type(conn, t)


def refused(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """An illegal lifecycle step: 409 with the domain's reason."""
    return Response({"status_code": 409, "detail": str(exc)}, status_code=409)


def sla_watch(config: IntakeConfig) -> BackgroundTask:
    async def watch_service_levels(rt: Runtime) -> None:
        await sla.watch(rt.pool, every_seconds=config.sla_check_seconds, warning_share=config.sla_warning_share)

    return watch_service_levels


def heal_sweep(config: IntakeConfig) -> BackgroundTask:
    async def heal_unrouted_requests(rt: Runtime) -> None:
        after = timedelta(seconds=config.heal_after_seconds)
        await heal.run(rt.pool, after=after, every_seconds=config.heal_check_seconds)

    return heal_unrouted_requests


def create_app(settings: Settings | None = None, config: IntakeConfig | None = None) -> Litestar:
    settings = settings or Settings.from_env("intake")
    config = config or IntakeConfig.from_env()
    app = service_app(
        settings=settings,
        schema="intake",
        package="services.intake",
        title="secpool intake",
        route_handlers=[
            api.RequestsController,
            api_pools.PoolsController,
            api_catalogue.TypesController,
        ],
        consumers=handlers.consumers,
        on_start=load_demo,
        background=[sla_watch(config), heal_sweep(config)],
        dependencies={"config": Provide(lambda: config, sync_to_thread=False)},
        exception_handlers={TransitionRefused: refused},
    )
    close_bodies(app, [*REQUEST_BODIES, *TYPE_BODIES])
    return app
