"""A status change, its timeline entry and its event are one statement while the request is
as it was read; a second change of the same read row in one transaction still announces the
version it really got."""

import uuid
from typing import Any

import asyncpg
import msgspec

from services.contracts.intake import RequestStatusChanged
from services.intake import changes, records, store
from tests.support import new_id


async def new_request(conn: Any) -> uuid.UUID:
    pool_id, type_id, request_id = new_id("pool-"), new_id("type-"), uuid.uuid4()
    await conn.execute(
        "INSERT INTO request_types (id, pool_id, name_nl, name_en, skill, min_level, pickup_minutes,"
        " complete_minutes) VALUES ($1, $2, 'brief', 'letter', 'agenda', 1, 60, 480)",
        type_id,
        pool_id,
    )
    await conn.execute(
        """INSERT INTO requests (id, pool_id, requester_id, type_id, idempotency_key, description, urgency,
               language, status, submitted_at, pickup_due_at, done_due_at)
           VALUES ($1, $2, 'staff-1', $3, $4, 'een brief', 'normal', 'nl', 'submitted', now(), now(), now())""",
        request_id,
        pool_id,
        type_id,
        str(request_id),
    )
    return request_id


async def announced(conn: Any, request_id: uuid.UUID) -> list[RequestStatusChanged]:
    rows = await conn.fetch(
        "SELECT payload FROM outbox WHERE subject = 'secpool.intake.request.status_changed' ORDER BY id"
    )
    events = [msgspec.json.decode(bytes(r["payload"]), type=RequestStatusChanged) for r in rows]
    return [e for e in events if e.request_id == str(request_id)]


async def test_a_change_writes_its_timeline_entry_and_event_with_the_version_it_got(intake_db: asyncpg.Pool) -> None:
    async with intake_db.acquire() as conn, conn.transaction():
        request_id = await new_request(conn)
        row = await changes.locked(conn, request_id)
        version = await changes.step(conn, row, status="offered", kind="offered", actor_id=None)

        assert version == row.version + 1
        [event] = await announced(conn, request_id)
        assert (event.version, event.status, event.previous) == (version, "offered", "submitted")
        timeline = await conn.fetchval(
            "SELECT count(*) FROM timeline WHERE request_id = $1 AND kind = 'offered'", request_id
        )
        assert timeline == 1


async def test_a_second_change_of_a_row_read_once_announces_the_version_it_really_got(intake_db: asyncpg.Pool) -> None:
    async with intake_db.acquire() as conn, conn.transaction():
        request_id = await new_request(conn)
        row = await changes.locked(conn, request_id)
        first = await changes.step(conn, row, status="offered", kind="offered", actor_id=None)
        second = await changes.step(conn, row, status="in_progress", kind="accepted", actor_id="member-1")

        assert second == first + 1
        assert [e.version for e in await announced(conn, request_id)] == [first, second]
        assert (await store.get_request(conn, request_id) or row).version == second


async def test_a_change_announced_for_a_version_since_changed_writes_nothing(intake_db: asyncpg.Pool) -> None:
    async with intake_db.acquire() as conn, conn.transaction():
        request_id = await new_request(conn)
        row = await changes.locked(conn, request_id)
        await changes.step(conn, row, status="offered", kind="offered", actor_id=None)
        stale = RequestStatusChanged(
            event_id=uuid.uuid4(),
            occurred_at=changes.now(),
            request_id=str(request_id),
            version=row.version + 1,
            pool_id=row.pool_id,
            requester_id=row.requester_id,
            status="cancelled",
            previous="submitted",
        )
        entry = records.Entry(kind="cancelled", actor_id=None, status="cancelled", detail="")

        written = await store.change_announced(conn, request_id, entry, stale, read_at=row.version, status="cancelled")

        assert written is None
        assert [e.status for e in await announced(conn, request_id)] == ["offered"]
        assert (await store.get_request(conn, request_id) or row).status == "offered"
