"""The expected pick-up of a waiting request plays forward only the requests before it in its
pool queue: more urgent first, then older, never those behind it, another pool's or any no
longer waiting; past the first few played one by one, the rest summed by what they need."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from services.platform.db import Conn
from services.routing import pickup, records, store
from services.routing.decision import Urgency
from services.routing.pickup import Ahead
from tests.integration.routing.conftest import stored_request
from tests.support import new_id


async def waiting(conn: Conn, pool_id: str, urgency: Urgency, age_minutes: int, skill: str) -> records.RoutedRequest:
    """A waiting request `age_minutes` old, of that many minutes' work."""
    submitted = datetime.now(UTC) - timedelta(minutes=age_minutes)
    return await stored_request(conn, pool_id, age_minutes, skill=skill, urgency=urgency, submitted_at=submitted)


async def test_only_the_requests_before_it_in_queue_order_count_as_ahead(routing_db: asyncpg.Pool) -> None:
    pool_id, other_pool = new_id("pool-"), new_id("pool-")
    async with routing_db.acquire() as conn:
        urgent_new = await waiting(conn, pool_id, "high", 1, "urgent-new")
        normal_old = await waiting(conn, pool_id, "normal", 50, "normal-old")
        await waiting(conn, pool_id, "normal", 20, "normal-mid")
        this = await waiting(conn, pool_id, "normal", 10, "this")
        await waiting(conn, pool_id, "normal", 5, "behind")
        await waiting(conn, pool_id, "low", 90, "low-old")
        await waiting(conn, other_pool, "high", 60, "other-pool")
        taken = await waiting(conn, pool_id, "high", 70, "taken")
        await store.set_request_state(conn, taken.request_id, "offered")

        ahead = await store.needs_ahead(conn, this)
        first = await store.needs_ahead(conn, urgent_new)
        unhurried = await store.needs_ahead(conn, normal_old)

    assert ahead == [
        Ahead("urgent-new", 1, "nl", 1.0),
        Ahead("normal-old", 1, "nl", 50.0),
        Ahead("normal-mid", 1, "nl", 20.0),
    ]
    assert first == []
    assert [a.skill for a in unhurried] == ["urgent-new"]


async def test_past_the_requests_played_one_by_one_the_rest_is_summed_by_what_it_needs(
    routing_db: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pickup, "PLAYED", 2)
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn:
        for age, skill in [(60, "first"), (50, "second"), (40, "agenda"), (30, "letters"), (20, "agenda")]:
            await waiting(conn, pool_id, "normal", age, skill)
        this = await waiting(conn, pool_id, "normal", 10, "this")
        ahead = await store.needs_ahead(conn, this)
    assert ahead == [
        Ahead("first", 1, "nl", 60.0),
        Ahead("second", 1, "nl", 50.0),
        Ahead("agenda", 1, "nl", 60.0, count=2),
        Ahead("letters", 1, "nl", 30.0, count=1),
    ]


async def test_the_first_requests_ahead_are_read_through_the_queue_order_index_without_a_sort(
    routing_db: asyncpg.Pool,
) -> None:
    """The queue order written in store.py and the index's expression (sql/009) must stay the
    same: otherwise every arrival sorts its pool's whole queue again."""
    pool_id = new_id("pool-")
    async with routing_db.acquire() as conn, conn.transaction():
        for age in range(30):
            this = await waiting(conn, pool_id, ("high", "normal", "low")[age % 3], age, "typing")
        # A small table is read whole whatever the indexes; what matters is that the index can serve the order.
        await conn.execute("SET LOCAL enable_seqscan = off")
        explained = await conn.fetchval(
            "EXPLAIN (FORMAT JSON) " + store.NEEDS_AHEAD,
            pool_id,
            this.urgency,
            this.submitted_at,
            this.request_id,
            pickup.PLAYED,
        )
    first = json.loads(explained)[0]["Plan"]["Plans"][0]
    assert _nodes(first, "Index Name") == ["requests_queue_order"], first
    assert not any("Sort" in node for node in _nodes(first, "Node Type")), first


def _nodes(plan: dict[str, Any], key: str) -> list[Any]:
    return ([plan[key]] if key in plan else []) + [v for sub in plan.get("Plans", []) for v in _nodes(sub, key)]
