"""Clarity from what the pool is doing: each waiting request's place in its pool's queue and
expected pick-up (domain's queue model), and the pool's team-level figures (figures.py).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from services.contracts.intake_api import PoolInsights, QueueSpot
from services.intake import domain, figures, records, store_insights
from services.platform.db import Conn

OBSERVED_SINCE = timedelta(days=30)  # older pick-up → done times say little about today's pool


async def queue_spots(conn: Conn, pool_ids: Iterable[str], now: datetime) -> dict[UUID, QueueSpot]:
    """Queue position and expected pick-up of every waiting request in these pools."""
    pools = sorted(set(pool_ids))
    if not pools:
        return {}
    waiting: dict[str, list[domain.Waiting]] = {p: [] for p in pools}
    for w in await store_insights.waiting_in_pools(conn, pools):
        waiting[w.pool_id].append(
            domain.Waiting(
                request_id=w.id,
                urgency=w.urgency,
                submitted_at=w.submitted_at,
                pickup_due_at=w.pickup_due_at,
            )
        )
    spots: dict[UUID, QueueSpot] = {}
    for pool_id, items in waiting.items():
        if items:
            spots |= domain.queue_spots(items, await load_of(conn, pool_id, now), now)
    return spots


async def spots_of(conn: Conn, rows: Iterable[records.Request], now: datetime) -> dict[UUID, QueueSpot]:
    """Queue spots of just these requests (the waiting ones among them): for one request or
    a person's list, without loading whole queues."""
    spots: dict[UUID, QueueSpot] = {}
    loads: dict[str, domain.PoolLoad] = {}
    for r in rows:
        if r.status not in domain.NOT_STARTED:
            continue
        rank = domain.URGENCY_RANK.get(r.urgency, 1)
        if r.pool_id in loads:
            place = await store_insights.queue_place(conn, r.pool_id, rank, r.submitted_at, r.id)
            position, waiting = place.position, place.waiting
        else:  # the pool's first: its load comes in the same round trip
            both = await store_insights.place_and_load(
                conn, r.pool_id, rank, r.submitted_at, r.id, since=now - OBSERVED_SINCE
            )
            position, waiting = both.position, both.waiting
            loads[r.pool_id] = _load(both)
        spots[r.id] = domain.spot_at(position, waiting, r.pickup_due_at, loads[r.pool_id], now)
    return spots


async def load_of(conn: Conn, pool_id: str, now: datetime) -> domain.PoolLoad:
    return _load(await store_insights.pool_load(conn, pool_id, since=now - OBSERVED_SINCE))


def _load(row: records.PoolLoad | records.PlaceAndLoad) -> domain.PoolLoad:
    return domain.PoolLoad(
        busy_slots=row.busy_slots,
        observed_minutes=row.observed_minutes,
        observed_count=row.observed_count,
        estimated_minutes=row.estimated_minutes,
    )


def waiting_pools(rows: Iterable[records.Request]) -> set[str]:
    return {r.pool_id for r in rows if r.status in domain.NOT_STARTED}


async def pool_insights(conn: Conn, pool_id: str, *, weeks: int, until: date, tz: ZoneInfo) -> PoolInsights:
    mondays = figures.weeks_ending(until, weeks)
    start = figures.local_midnight(mondays[0], tz)
    end = figures.local_midnight(mondays[-1] + timedelta(weeks=1), tz)
    rows = [
        figures.Row(
            type_id=r.type_id,
            submitted_at=r.submitted_at,
            picked_up_at=r.picked_up_at,
            done_at=r.done_at,
            done_due_at=r.done_due_at,
            rating=r.rating,
            minutes_saved=r.minutes_saved,
        )
        for r in await store_insights.insight_rows(conn, pool_id, start, end)
    ]
    names = {t.id: {"nl": t.name_nl, "en": t.name_en} for t in await store_insights.pool_type_names(conn, pool_id)}
    return figures.pool_insights(pool_id, rows, names, mondays, tz)
