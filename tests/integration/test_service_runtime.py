"""The common service runtime: a background loop that stops makes the process not ready, so
an orchestrator restarts it instead of it silently doing nothing."""

import gc
from collections.abc import Callable
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.platform.runtime import GARBAGE_THRESHOLDS, Runtime, service_app
from services.platform.settings import Settings
from tests.support import eventually


def recognition_app(make_settings: Callable[..., Settings], **extra: Any) -> Litestar:
    return service_app(
        settings=make_settings("recognition"),
        schema="recognition",
        package="services.recognition",
        title="test",
        route_handlers=[],
        **extra,
    )


async def test_a_stopped_background_loop_turns_ready_into_503_with_its_name(make_settings: Callable[..., Settings]):
    async def watch_the_clock(_: Runtime) -> None:
        raise RuntimeError("the clock fell off the wall")

    app = recognition_app(make_settings, background=[watch_the_clock])
    async with AsyncTestClient(app=app) as client:
        answer = await eventually(lambda: client.get("/ready"), lambda r: r.status_code == 503)
        assert answer.json() == {"status": "watch_the_clock stopped"}
        assert (await client.get("/health")).status_code == 200


async def test_a_running_service_collects_garbage_seldom(make_settings: Callable[..., Settings]):
    defaults = gc.get_threshold()
    app = recognition_app(make_settings)
    try:
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/health")).status_code == 200
            # A full collection with thousands of SSE streams open held every stream up.
            assert gc.get_threshold() == GARBAGE_THRESHOLDS
            assert GARBAGE_THRESHOLDS[0] * GARBAGE_THRESHOLDS[1] * GARBAGE_THRESHOLDS[2] >= 100 * 700 * 10 * 10
    finally:
        gc.set_threshold(*defaults)
