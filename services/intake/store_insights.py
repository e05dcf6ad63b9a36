"""Intake's SQL for what the pool is doing: its queue, its load, and the rows behind its
team-level insights. Nothing here groups by member."""

from datetime import datetime

from services.intake import records
from services.platform.db import Conn, as_record, as_records

# Written into the statements, not passed as parameters, so that the partial indexes on open
# requests (sql/006) serve them in prepared statements too: their cost stays that of the open
# requests, however long the pool's history.
WAITING = "('submitted', 'offered')"
BUSY = "('in_progress', 'waiting_on_requester')"
RECENT_DONE = 50  # done requests that make the observed pick-up → done duration


async def waiting_in_pools(conn: Conn, pool_ids: list[str]) -> list[records.Waiting]:
    """Every request waiting to be picked up in these pools (the queues, unordered)."""
    rows = await conn.fetch(
        f"SELECT id, pool_id, urgency, submitted_at, pickup_due_at FROM requests WHERE pool_id = ANY($1) AND status IN {WAITING}",
        pool_ids,
    )
    return as_records(records.Waiting, rows)


# One waiting request's position in its pool's queue (in `domain.queue_order`'s order) and
# how many wait, counted in the database rather than by loading the whole queue.
_PLACE = f"""SELECT count(*) FILTER (WHERE (q.rank, q.submitted_at, q.id::text) < ($2, $3, $4::text)) + 1 AS position,
           count(*) AS waiting
    FROM (SELECT CASE urgency WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END AS rank, submitted_at, id
          FROM requests WHERE pool_id = $1 AND status IN {WAITING}) q"""


def _load(since: str) -> str:
    """Busy slots now; the mean pick-up → done minutes of the last done requests (since the
    parameter `since` names); the mean work estimate of the busy requests' types."""
    return f"""WITH busy AS (
        SELECT t.work_minutes FROM requests r JOIN request_types t ON t.id = r.type_id
        WHERE r.pool_id = $1 AND r.status IN {BUSY}),
    recent AS (
        SELECT extract(epoch FROM done_at - picked_up_at) / 60 AS minutes FROM requests
        WHERE pool_id = $1 AND status = 'done' AND picked_up_at IS NOT NULL AND done_at >= {since}
        ORDER BY done_at DESC LIMIT {RECENT_DONE})
    SELECT (SELECT count(*) FROM busy) AS busy_slots,
           (SELECT avg(work_minutes)::float8 FROM busy) AS estimated_minutes,
           (SELECT avg(minutes)::float8 FROM recent) AS observed_minutes,
           (SELECT count(*) FROM recent) AS observed_count"""


async def queue_place(
    conn: Conn, pool_id: str, rank: int, submitted_at: datetime, request_id: object
) -> records.QueuePlace:
    """One waiting request's position in its pool's queue, and how many wait."""
    row = await conn.fetchrow(_PLACE, pool_id, rank, submitted_at, str(request_id))
    assert row is not None
    return as_record(records.QueuePlace, row)


async def place_and_load(
    conn: Conn, pool_id: str, rank: int, submitted_at: datetime, request_id: object, *, since: datetime
) -> records.PlaceAndLoad:
    """`queue_place` and `pool_load` in one round trip (a waiting request's page needs both)."""
    row = await conn.fetchrow(
        f"SELECT * FROM ({_PLACE}) place, ({_load('$5')}) pool_load",
        pool_id,
        rank,
        submitted_at,
        str(request_id),
        since,
    )
    assert row is not None
    return as_record(records.PlaceAndLoad, row)


async def pool_load(conn: Conn, pool_id: str, *, since: datetime) -> records.PoolLoad:
    """Busy slots now, the observed pick-up → done minutes and the busy types' estimate."""
    row = await conn.fetchrow(_load("$2"), pool_id, since)
    assert row is not None
    return as_record(records.PoolLoad, row)


async def insight_rows(conn: Conn, pool_id: str, start: datetime, end: datetime) -> list[records.InsightRow]:
    """The pool's requests that were submitted, picked up or done in [start, end)."""
    rows = await conn.fetch(
        """SELECT r.type_id, r.status, r.submitted_at, r.picked_up_at, r.done_at, r.done_due_at, r.rating,
                  coalesce(r.minutes_saved, 0) AS minutes_saved
           FROM requests r
           WHERE r.pool_id = $1 AND (r.submitted_at >= $2 AND r.submitted_at < $3
                 OR r.picked_up_at >= $2 AND r.picked_up_at < $3
                 OR r.done_at >= $2 AND r.done_at < $3)""",
        pool_id,
        start,
        end,
    )
    return as_records(records.InsightRow, rows)


async def pool_type_names(conn: Conn, pool_id: str) -> list[records.TypeName]:
    rows = await conn.fetch(
        "SELECT id, name_nl, name_en FROM request_types WHERE pool_id = $1 ORDER BY name_en, id", pool_id
    )
    return as_records(records.TypeName, rows)
