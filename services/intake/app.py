"""Intake's composition root: `create_app` builds settings, routes, consumers and the
service-level watch. Run: `uvicorn --factory services.intake.app:create_app`.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import msgspec
from litestar import Litestar, Request, Response
from litestar.di import Provide

from services.contracts.intake_api import REQUEST_BODIES, TYPE_BODIES
from services.demo import organisation
from services.intake import (
    api,
    api_attachments,
    api_catalogue,
    api_pools,
    api_privacy,
    api_recurring,
    api_search,
    attachments,
    changes,
    handlers,
    heal,
    privacy,
    records,
    recurring,
    sla,
    store_catalogue,
)
from services.intake.api_docs import close_bodies
from services.intake.config import IntakeConfig
from services.intake.domain import TransitionRefused
from services.platform.objects import Objects, ObjectsConfig
from services.platform.runtime import BackgroundTask, Runtime, service_app
from services.platform.settings import Settings


async def load_demo(rt: Runtime) -> None:
    """First start with SECPOOL_DEMO=1: the demo catalogue of request types."""
    if not rt.settings.demo:
        return
    async with rt.pool.acquire() as conn, conn.transaction():
        if await store_catalogue.count_types(conn) == 0:
            for t in organisation().request_types:
                await store_catalogue.upsert_type(conn, t["id"], msgspec.convert(t, records.TypeFields))


def refused(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """An illegal lifecycle step: 409 with the domain's reason."""
    return Response({"status_code": 409, "detail": str(exc)}, status_code=409)


def answer(status: int) -> Any:
    """A refused file: 413 (too large) or 415 (not a type the pool takes), with the reason."""

    def handle(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
        return Response({"status_code": status, "detail": str(exc)}, status_code=status)

    return handle


def file_sweep(config: IntakeConfig, objects: Objects) -> BackgroundTask:
    async def sweep_files(rt: Runtime) -> None:
        """Objects whose request or upload is gone leave the store (see 003_attachments.sql)."""
        while True:
            try:
                async with rt.pool.acquire() as conn:
                    while await attachments.sweep(conn, objects) > 0:
                        pass
            except Exception as exc:  # retried next round: a database or store hiccup is no reason to stop
                attachments.log.warning("file sweep failed; retrying", error=repr(exc))
            await asyncio.sleep(config.sweep_seconds)

    return sweep_files


def recurring_watch(config: IntakeConfig, objects: Objects, clock: Callable[[], datetime]) -> BackgroundTask:
    async def send_recurring(rt: Runtime) -> None:
        """Standing orders due today (in the organisation's time zone, a platform setting) become requests."""
        is_holiday = recurring.public_holidays(config.holidays)
        while True:
            try:
                await recurring.run_due(rt.pool, objects, clock().astimezone(rt.settings.zone).date(), is_holiday)
            except Exception as exc:  # retried next round; nothing is lost (a due order stays due)
                recurring.log.warning("recurring requests failed; retrying", error=repr(exc))
            await asyncio.sleep(config.recurring_seconds)

    return send_recurring


def sla_watch(config: IntakeConfig) -> BackgroundTask:
    async def watch_service_levels(rt: Runtime) -> None:
        await sla.watch(rt.pool, every_seconds=config.sla_check_seconds, warning_share=config.sla_warning_share)

    return watch_service_levels


def heal_sweep(config: IntakeConfig) -> BackgroundTask:
    async def heal_unrouted_requests(rt: Runtime) -> None:
        after = timedelta(seconds=config.heal_after_seconds)
        await heal.run(rt.pool, after=after, every_seconds=config.heal_check_seconds)

    return heal_unrouted_requests


def create_app(
    settings: Settings | None = None,
    config: IntakeConfig | None = None,
    objects: Objects | None = None,
    clock: Callable[[], datetime] = changes.now,
) -> Litestar:
    """`clock` is the time recurring requests go by (tests pass a simulated one)."""
    settings = settings or Settings.from_env("intake")
    config = config or IntakeConfig.from_env()
    objects = objects or Objects(ObjectsConfig.from_env(settings.data_dir))
    holidays = recurring.public_holidays(config.holidays)
    app = service_app(
        settings=settings,
        schema="intake",
        package="services.intake",
        decode_json=True,
        title="secpool intake",
        route_handlers=[
            api.RequestsController,
            api_pools.PoolsController,
            api_catalogue.TypesController,
            api_attachments.UploadsController,
            api_attachments.AttachmentsController,
            api_search.SearchController,
            api_recurring.RecurringController,
            api_privacy.PrivacyController,
        ],
        consumers=handlers.consumers,
        on_start=load_demo,
        background=[
            sla_watch(config),
            heal_sweep(config),
            file_sweep(config, objects),
            recurring_watch(config, objects, clock),
            privacy.keep_retention,
        ],
        dependencies={
            "config": Provide(lambda: config, sync_to_thread=False),
            "objects": Provide(lambda: objects, sync_to_thread=False),
            "clock": Provide(lambda: clock, sync_to_thread=False),
            "holidays": Provide(lambda: holidays, sync_to_thread=False),
        },
        exception_handlers={
            TransitionRefused: refused,
            attachments.TooLarge: answer(413),
            attachments.NotAccepted: answer(415),
        },
    )
    close_bodies(app, [*REQUEST_BODIES, *TYPE_BODIES])
    return app
