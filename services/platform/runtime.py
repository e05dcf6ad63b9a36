"""The common shape of a secpool service process: a Litestar app whose lifespan owns the
database pool, the NATS connection, the outbox relay and the event consumers.

Each service's `create_app` builds its Settings and calls `service_app` with its routes and
consumers; nothing connects at import time.
"""

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import structlog
from litestar import Litestar, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ControllerRouterHandler
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from services.platform import api_key_events, bus, db, errors, guard, internal, logs, retention
from services.platform.authentication import CallerMiddleware
from services.platform.checked_tokens import CheckedTokens
from services.platform.failures import is_transient, retry_delay
from services.platform.inbox import Consumer
from services.platform.outbox import Relay
from services.platform.settings import Settings
from services.platform.tokens import KeyRing
from services.platform.unit_of_work import unit_of_work

log = structlog.get_logger(__name__)


class Runtime(msgspec.Struct, kw_only=True):
    """What a running service holds; routes get it as the `runtime` dependency."""

    settings: Settings
    schema: str
    pool: asyncpg.Pool
    nc: NatsClient
    js: JetStreamContext
    # Background loops (relay, consumers, jobs) that stopped: the process is then not ready.
    stopped: list[str] = msgspec.field(default_factory=list)

    def consumer(
        self,
        name: str,
        stream: str,
        subjects: list[str],
        event_type: Any,
        handler: Any,
        wants: Any = None,
        needs: Any = None,
    ) -> Consumer[Any]:
        """A durable, idempotent consumer of `stream` on this service's pool and settings;
        `wants` (optional) tells from the event alone that the handler would ignore it, `needs`
        (optional) the same with a read outside any transaction."""
        return Consumer(
            name=name,
            stream=stream,
            subjects=subjects,
            event_type=event_type,
            handler=handler,
            wants=wants,
            needs=needs,
            pool=self.pool,
            js=self.js,
            max_deliver=self.settings.consumer_max_deliver,
            ack_wait=self.settings.consumer_ack_wait_seconds,
        )


ConsumerFactory = Callable[[Runtime], Sequence[Consumer[Any]]]
StartHook = Callable[[Runtime], Awaitable[None]]
BackgroundTask = Callable[[Runtime], Coroutine[Any, Any, None]]


@get("/health", opt={"exclude_from_auth": True}, include_in_schema=False, sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/ready", opt={"exclude_from_auth": True}, include_in_schema=False)
async def ready(state: State) -> Response[dict[str, str]]:
    """Readiness: the database and NATS are reachable and every background loop runs."""
    runtime: Runtime | None = getattr(state, "runtime", None)
    problems = []
    if runtime is None:
        problems.append("starting")
    else:
        try:
            await asyncio.wait_for(runtime.pool.fetchval("SELECT 1"), 2)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            problems.append("database unreachable")
        if not runtime.nc.is_connected:
            problems.append("nats unreachable")
        problems += [f"{name} stopped" for name in runtime.stopped]
    if problems:
        return Response({"status": ", ".join(problems)}, status_code=503)
    return Response({"status": "ready"})


# Python's defaults (700, 10, 10) scan every object after 70,000 allocations: with 2,000 SSE
# streams open such a full collection took 100–300 ms, and one that fell on an event's fan-out
# held every stream up that long (`secpool bench --pages --sse 2000`: the last stream heard a
# kudos after 400 ms in about one run of three). Here a full collection comes after about ten
# million; the partial ones in between take tens of milliseconds at that size, and young
# garbage that only the collector frees waits for 10,000 allocations at most.
GARBAGE_THRESHOLDS = (10_000, 10, 100)


def service_app(
    *,
    settings: Settings,
    schema: str,
    package: str,
    title: str,
    route_handlers: Sequence[ControllerRouterHandler],
    consumers: ConsumerFactory = lambda _: [],
    on_start: StartHook | None = None,
    background: Sequence[BackgroundTask] = (),
    authenticate: bool = True,
    decode_json: bool = False,
    **litestar_options: Any,
) -> Litestar:
    """A Litestar app for one service, with its lifespan, token check, health and metrics.
    The pwa passes `authenticate=False` (it has sessions instead, and no OpenAPI: its routes
    are pages) and its own extra options."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        logs.configure(settings.service)
        gc.set_threshold(*GARBAGE_THRESHOLDS)
        pool = await db.connect(settings.database_url, schema, decode_json=decode_json)
        nc = await bus.connect(settings.nats_url, name=settings.service)
        tasks: list[asyncio.Task[None]] = []
        try:
            applied = await db.migrate(pool, schema, [package])
            if applied:
                log.info("migrated", schema=schema, files=applied)
            js = nc.jetstream()
            await _patiently("streams", partial(bus.ensure_streams, js, settings.stream_replicas))
            runtime = Runtime(settings=settings, schema=schema, pool=pool, nc=nc, js=js)
            if on_start is not None:
                await on_start(runtime)
            relay = Relay(
                pool,
                js,
                schema,
                batch=settings.relay_batch,
                exit_after=settings.fault_relay_exit_after,
            )
            tasks.append(asyncio.create_task(_keep_running("outbox-relay", relay.run), name="outbox-relay"))
            prune = partial(
                retention.run,
                pool,
                older_than=timedelta(seconds=settings.retention_seconds),
                every_seconds=settings.prune_every_seconds,
            )
            tasks.append(asyncio.create_task(_keep_running("retention", prune), name="retention"))
            # A service keeps its copy of the integrations' API keys (the pwa writes its own).
            keys = [api_key_events.consumer(runtime)] if authenticate else []
            for consumer in [*keys, *consumers(runtime)]:
                await _patiently(consumer.name, consumer.declare)
                tasks.append(asyncio.create_task(_keep_running(consumer.name, consumer.run), name=consumer.name))
            for job in background:
                name = getattr(job, "__name__", "job")
                tasks.append(asyncio.create_task(_keep_running(name, partial(job, runtime)), name=name))
            for task in tasks:
                task.add_done_callback(lambda done: _crash_loudly(done, runtime))
            app.state.runtime = runtime
            log.info("started", service=settings.service)
            yield
        finally:
            for task in tasks:
                task.cancel()
            # Shutdown is bounded: a loop slow to honour its cancellation, a stuck drain or a
            # connection never released must not keep the process (or a test) waiting forever.
            if not await _within(10, *tasks):
                log.warning("background tasks did not stop in time", service=settings.service)
            if not await _within(10, nc.drain()):
                await _within(2, nc.close())
            if not await _within(10, pool.close()):
                log.warning("database pool did not close in time; terminating it")
                pool.terminate()

    def provide_runtime(state: State) -> Runtime:
        runtime: Runtime = state.runtime
        return runtime

    return Litestar(
        route_handlers=[health, ready, internal.metrics_controller(settings.metrics_token), *route_handlers],
        lifespan=[lifespan],
        dependencies={
            "runtime": Provide(provide_runtime, sync_to_thread=False),
            "conn": Provide(unit_of_work),
            **litestar_options.pop("dependencies", {}),
        },
        middleware=[
            *(
                [
                    DefineMiddleware(
                        CallerMiddleware,
                        audience=settings.service,
                        tokens=CheckedTokens(settings.service, key_ring(settings)),
                    )
                ]
                if authenticate
                else []
            ),
            PrometheusConfig(app_name=settings.service, prefix="secpool", group_path=True).middleware,
            *litestar_options.pop("middleware", []),
        ],
        exception_handlers={**errors.exception_handlers(), **litestar_options.pop("exception_handlers", {})},
        before_request=guard.refuse_control_characters,
        openapi_config=internal.openapi_config(title) if authenticate else None,
        **litestar_options,
    )


def key_ring(settings: Settings) -> KeyRing:
    """The public keys this service accepts, from its file when it has one (re-read on rotation)."""
    if settings.token_public_key_file:
        return KeyRing.from_file(Path(settings.token_public_key_file))
    return KeyRing.parse(settings.token_public_key)


async def _patiently(step: str, run: Callable[[], Awaitable[Any]], within: float = 120.0) -> None:
    """A start-up step on a dependency still coming up (a JetStream cluster electing its
    leaders answers with timeouts for a while): retried with growing delays while it fails
    for that reason, for up to `within` seconds; any other failure stops the start at once."""
    deadline = time.monotonic() + within
    failures = 0
    while True:
        try:
            await run()
            return
        except Exception as exc:
            failures += 1
            if not is_transient(exc) or time.monotonic() > deadline:
                raise
            if failures == 1:
                log.warning("waiting for a dependency to start", step=step, error=repr(exc))
            await asyncio.sleep(retry_delay(failures))


async def _within(seconds: float, *steps: Awaitable[Any]) -> bool:
    """Wait at most `seconds` for these steps; True when all finished (their errors are
    ignored: this is for shutting down). Unlike asyncio.wait_for on Python 3.11, it never
    goes on waiting for a cancellation that is not honoured."""
    running = [asyncio.ensure_future(step) for step in steps]
    if not running:
        return True
    done, pending = await asyncio.wait(running, timeout=seconds)
    for finished in done:
        if not finished.cancelled():
            finished.exception()  # retrieved: no "exception was never retrieved" later
    return not pending


async def _keep_running(name: str, run: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a background loop; when it fails because a dependency is down (the database
    restarting, NATS away), start it again after a growing delay instead of letting it stop.
    Any other failure stops it loudly (see _crash_loudly)."""
    failures = 0
    while True:
        started = time.monotonic()
        try:
            await run()
            return
        except Exception as exc:
            if not is_transient(exc):
                raise
            failures = 1 if time.monotonic() - started > 60 else failures + 1
            if failures == 1:
                log.warning("background task lost a dependency; restarting it", task=name, error=repr(exc))
            await asyncio.sleep(retry_delay(failures))


def _crash_loudly(task: "asyncio.Task[None]", runtime: Runtime) -> None:
    """A background loop must never die silently: log it, and /ready turns 503 so an
    orchestrator restarts the process."""
    if task.cancelled():
        return
    exc = task.exception()
    log.error("background task stopped", task=task.get_name(), error=repr(exc))
    runtime.stopped.append(task.get_name())
