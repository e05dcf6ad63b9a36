"""Routing in-process with members of known skills and capacity; intake's events are
published into JetStream exactly as intake's outbox would."""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import msgspec
import nats
import pytest
from litestar.testing import AsyncTestClient

from services.contracts.base import Event
from services.contracts.intake import RequestCompleted, RequestSubmitted
from services.platform import db
from services.platform.outbox import subject_of
from services.routing import records, store, store_members, store_policy
from services.routing.decision import Policy, Urgency
from services.routing.shifts import ALWAYS
from tests.support import auth, caller, close_conn, close_nats, close_pool, eventually, new_id


@dataclass
class Pool:
    """A routing service with one pool of test members."""

    client: AsyncTestClient[Any]
    nats_url: str
    pool_id: str
    db: Any  # the test's own pool on routing's schema (the app runs in another event loop)

    async def member(
        self,
        name: str,
        skills: dict[str, int],
        *,
        capacity: int = 2,
        languages: tuple[str, ...] = ("nl", "en"),
        learning: tuple[str, ...] = (),
        hours: Any = ALWAYS,
    ) -> str:
        """A member on shift around the clock unless `hours` (seven days of spans) says otherwise."""
        member_id = new_id(f"{name}-")
        async with self.db.acquire() as conn:
            await store_members.upsert_member(
                conn,
                records.NewMember(
                    id=member_id,
                    pool_id=self.pool_id,
                    name=name,
                    skills=skills,
                    learning=list(learning),
                    languages=list(languages),
                    capacity=capacity,
                    hours=hours,
                ),
            )
        return member_id

    async def policy(self, **changes: Any) -> None:
        async with self.db.acquire() as conn:
            policy = msgspec.structs.replace(Policy(), **changes)
            await store_policy.put_policy(conn, self.pool_id, msgspec.to_builtins(policy), "test", "test setup")

    async def publish(self, event: Event) -> None:
        nc = await nats.connect(self.nats_url)
        try:
            await nc.jetstream().publish(
                subject_of(event), msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.event_id)}
            )
        finally:
            await close_nats(nc)

    async def submit(
        self,
        *,
        skill: str = "agenda",
        min_level: int = 2,
        urgency: str = "normal",
        language: str = "nl",
        due_in: timedelta = timedelta(days=2),
        work_minutes: int = 30,
    ) -> str:
        request_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        await self.publish(
            RequestSubmitted(
                event_id=uuid.uuid4(),
                occurred_at=now,
                request_id=request_id,
                version=1,
                pool_id=self.pool_id,
                requester_id=new_id("staff-"),
                type_id="t",
                skill=skill,
                min_level=min_level,
                language=language,
                urgency=urgency,
                pickup_due_at=now + due_in / 4,
                done_due_at=now + due_in,
                work_minutes=work_minutes,  # type: ignore[arg-type]
            )
        )
        return request_id

    async def complete(self, request_id: str) -> None:
        await self.publish(
            RequestCompleted(
                event_id=uuid.uuid4(),
                occurred_at=datetime.now(UTC),
                request_id=request_id,
                version=9,
                pool_id=self.pool_id,
                requester_id="x",
                member_id=None,
            )
        )

    async def offers(self, request_id: str) -> list[dict[str, Any]]:
        rows = await self.db.fetch("SELECT * FROM offers WHERE request_id = $1 ORDER BY created_at", request_id)
        return [dict(r) for r in rows]

    async def live_offer(self, request_id: str, *, within: float = 5.0) -> dict[str, Any]:
        async def live() -> list[dict[str, Any]]:
            return [o for o in await self.offers(request_id) if o["status"] in ("open", "accepted")]

        return (await eventually(live, lambda offers: len(offers) == 1, within=within))[0]

    def as_member(self, member_id: str) -> dict[str, str]:
        return auth(caller("secretary", pools=(self.pool_id,), account_id=member_id), "routing")


@pytest.fixture
async def routing_pool(services: Callable[..., Any], nats_url: str, database_url: str) -> AsyncIterator[Pool]:
    client = (await services("routing"))["routing"]
    test_db = await db.connect(database_url, "routing", decode_json=True)
    yield Pool(client=client, nats_url=nats_url, pool_id=new_id("pool-"), db=test_db)
    await close_conn(test_db)


@pytest.fixture
async def routing_db(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """Routing's schema, migrated, for tests of its stores alone (no service running)."""
    pool = await db.connect(database_url, "routing", decode_json=True)
    await db.migrate(pool, "routing", ["services.routing"])
    yield pool
    await close_pool(pool)


async def store_member(conn: Any, pool_id: str, capacity: int = 5) -> str:
    """A member of `pool_id` (agenda, level 3; on shift around the clock), stored directly."""
    member_id = new_id("member-")
    await store_members.upsert_member(
        conn,
        records.NewMember(
            id=member_id, pool_id=pool_id, name=member_id, skills={"agenda": 3}, capacity=capacity, hours=ALWAYS
        ),
    )
    return member_id


async def stored_request(
    conn: Any,
    pool_id: str,
    work_minutes: int = 30,
    *,
    skill: str = "agenda",
    urgency: Urgency = "normal",
    submitted_at: datetime | None = None,
) -> records.RoutedRequest:
    """A waiting request of `pool_id` (agenda, normal, submitted now unless told), stored
    directly (as its RequestSubmitted would)."""
    now = submitted_at or datetime.now(UTC)
    stored = await store.insert_request(
        conn,
        records.NewRequest(
            request_id=str(uuid.uuid4()),
            pool_id=pool_id,
            requester_id=new_id("staff-"),
            skill=skill,
            min_level=1,
            language="nl",
            urgency=urgency,
            work_minutes=work_minutes,
            submitted_at=now,
            pickup_due_at=now + timedelta(hours=1),
            done_due_at=now + timedelta(days=1),
        ),
    )
    assert stored is not None
    return stored
