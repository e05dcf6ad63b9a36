"""Intake in-process on real PostgreSQL and NATS, with routing played by the test: routing's
events are published into JetStream as routing's outbox would, and intake's own events are
read back from its stream."""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import nats
import pytest
from litestar.testing import AsyncTestClient

from services.contracts.base import Event
from services.contracts.intake import IntakeEvent
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered
from services.intake.app import create_app
from services.intake.config import IntakeConfig
from services.platform import db
from services.platform.objects import Objects, ObjectsConfig
from services.platform.outbox import subject_of
from services.platform.settings import Settings
from services.platform.tokens import Caller
from tests.support import auth, caller, close_nats, close_pool, eventually, new_id

POOL = "pool-secretariaat"  # the demo catalogue's pool
WITHIN = 15.0  # seconds: a generous upper bound for "eventually" on a busy machine
_decoder = msgspec.json.Decoder(IntakeEvent)


@dataclass
class Desk:
    """One intake service and the people around it."""

    client: AsyncTestClient[Any]
    nats_url: str
    db: Any  # the test's own pool on intake's schema (the app runs in another event loop)
    pool_id: str = POOL
    files: Path | None = None  # the object store's folder (attachments)
    routing_versions: dict[str, int] = field(default_factory=dict)

    # --- people ------------------------------------------------------------------------------
    def staff(self) -> Caller:
        return caller("staff", pools=(self.pool_id,))

    def member(self) -> Caller:
        return caller("secretary", pools=(self.pool_id,))

    def lead(self) -> Caller:
        return caller("lead", "staff", pools=(self.pool_id,))

    # --- HTTP --------------------------------------------------------------------------------
    async def call(self, who: Caller, method: str, path: str, **kwargs: Any) -> Any:
        return await self.client.request(method, path, headers=auth(who, "intake"), **kwargs)

    async def submit(self, who: Caller, **overrides: Any) -> dict[str, Any]:
        body = {
            "type_id": "agenda-meeting",
            "description": "Plan the quarterly review",
            "idempotency_key": str(uuid.uuid4()),
            **overrides,
        }
        response = await self.call(who, "POST", "/v1/requests/", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def get(self, who: Caller, request_id: str) -> dict[str, Any]:
        response = await self.call(who, "GET", f"/v1/requests/{request_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def until_status(self, who: Caller, request_id: str, status: str, within: float = WITHIN) -> dict[str, Any]:
        return await eventually(lambda: self.get(who, request_id), lambda r: r["status"] == status, within=within)

    # --- routing, played by the test ---------------------------------------------------------
    async def publish(self, event: Event) -> uuid.UUID:
        nc = await nats.connect(self.nats_url)
        try:
            await nc.jetstream().publish(
                subject_of(event), msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        finally:
            await close_nats(nc)
        return event.event_id

    def _routing(self, request_id: str) -> dict[str, Any]:
        version = self.routing_versions.get(request_id, 0) + 1
        self.routing_versions[request_id] = version
        return {
            "event_id": uuid.uuid4(),
            "occurred_at": datetime.now(UTC),
            "request_id": request_id,
            "version": version,
            "pool_id": self.pool_id,
            "offer_id": str(uuid.uuid4()),
        }

    async def offer(self, request_id: str, member: Caller, buddy: Caller | None = None) -> uuid.UUID:
        return await self.publish(
            RequestOffered(
                **self._routing(request_id),
                member_id=member.account_id,
                buddy_id=buddy.account_id if buddy else None,
                why="best skill fit",
                expires_at=datetime.now(UTC) + timedelta(minutes=5),
            )
        )

    async def decline(self, request_id: str, member: Caller, *, expired: bool = False) -> uuid.UUID:
        return await self.publish(
            OfferDeclined(**self._routing(request_id), member_id=member.account_id, expired=expired)
        )

    async def accept(self, request_id: str, member: Caller, buddy: Caller | None = None) -> uuid.UUID:
        return await self.publish(
            OfferAccepted(
                **self._routing(request_id), member_id=member.account_id, buddy_id=buddy.account_id if buddy else None
            )
        )

    async def picked_up(self, request_id: str, member: Caller, buddy: Caller | None = None) -> dict[str, Any]:
        """Offered to and accepted by `member`: the request is in progress."""
        await self.offer(request_id, member, buddy)
        await self.until_status(member, request_id, "offered")
        await self.accept(request_id, member, buddy)
        return await self.until_status(member, request_id, "in_progress")

    # --- intake's events, read back from its stream -------------------------------------------
    async def events(self, request_id: str) -> list[Any]:
        nc = await nats.connect(self.nats_url)
        try:
            js = nc.jetstream()
            state = (await js.stream_info("INTAKE")).state
            found = []
            # An empty stream reports sequence 0, which no message has (the server answers 400).
            for seq in range(max(state.first_seq, 1), state.last_seq + 1) if state.messages else ():
                event = _decoder.decode((await js.get_msg("INTAKE", seq)).data or b"")
                if event.request_id == request_id:
                    found.append(event)
            return found
        finally:
            await close_nats(nc)

    async def events_until(self, request_id: str, check: Callable[[list[Any]], bool]) -> list[Any]:
        return await eventually(lambda: self.events(request_id), check, within=WITHIN)


@pytest.fixture
async def start_intake(make_settings: Callable[..., Settings], database_url: str, tmp_path: Path) -> AsyncIterator[Any]:
    """`await start_intake(**config)` → a Desk; call it twice for two replicas on one database."""
    async with AsyncExitStack() as stack:
        test_db = None

        async def start(*, demo: bool = True, clock: Any = None, **config: Any) -> Desk:
            nonlocal test_db
            settings = make_settings("intake", demo=demo)
            files = tmp_path / "objects"
            objects = Objects(ObjectsConfig(url=files.as_uri()))
            app = create_app(settings, IntakeConfig(**config), objects, **({"clock": clock} if clock else {}))
            client = await stack.enter_async_context(AsyncTestClient(app=app))
            if test_db is None:
                test_db = await db.connect(database_url, "intake")
                stack.push_async_callback(test_db.close)
            return Desk(client=client, nats_url=settings.nats_url, db=test_db, files=files)

        yield start


@pytest.fixture
async def desk(start_intake: Callable[..., Any]) -> Desk:
    desk: Desk = await start_intake()
    return desk


def other_pool() -> str:
    return new_id("pool-")


@pytest.fixture
async def intake_db(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """Intake's schema, migrated, for tests of its stores alone (no service running)."""
    pool = await db.connect(database_url, "intake")
    await db.migrate(pool, "intake", ["services.intake"])
    yield pool
    await close_pool(pool)
