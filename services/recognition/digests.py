"""Pool digests: when a pool's period ends, one replica claims (pool, period) with an insert that
does nothing on conflict, computes the team-level figures and publishes DigestPublished, all in
one transaction — so each pool gets exactly one digest per period however many replicas run.
"""

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import asyncpg
import structlog

from services.contracts.recognition import DigestPublished
from services.contracts.recognition_api import DigestView
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import NotFound
from services.platform.tokens import Caller
from services.recognition import domain, records, store, store_work, wall
from services.recognition.answers import digest_view
from services.recognition.config import RecognitionConfig

log = structlog.get_logger(__name__)


async def publish(conn: Conn, pool_id: str, period: domain.Period) -> records.Digest | None:
    """The pool's digest for `period`, or None when another replica (or an earlier run) has it."""
    digest_id = uuid4()
    if not await store_work.claim_digest(conn, digest_id, pool_id, period.start, period.end):
        return None
    completions = await store_work.completions_between(conn, pool_id, period.start, period.end)
    kudos = await store_work.pool_kudos_between(conn, pool_id, period.start, period.end)
    figures = domain.figures(completions, kudos)
    digest = await store_work.save_figures(conn, digest_id, figures)
    await outbox.add(
        conn,
        DigestPublished(
            event_id=uuid4(),
            occurred_at=digest.published_at,
            digest_id=str(digest_id),
            version=1,
            pool_id=pool_id,
            period_start=period.start,
            period_end=period.end,
            requests_handled=figures.requests_handled,
            minutes_saved=figures.minutes_saved,
            requests_on_time=figures.requests_on_time,
            on_time_share=figures.on_time_share,
            kudos_given=figures.kudos_given,
            kudos_received=figures.kudos_received,
            highlight_kudos_ids=figures.highlight_kudos_ids,
        ),
    )
    return digest


def period_length(pool: records.Pool, config: RecognitionConfig) -> int:
    return int(pool.digest_period_seconds or config.digest_period_seconds)


async def publish_due(pool: asyncpg.Pool, config: RecognitionConfig, zone: ZoneInfo, at: datetime) -> list[UUID]:
    """Publish every pool's last finished period not yet published (whole days begin at
    midnight in `zone`); periods that ended before recognition knew the pool are skipped."""
    async with pool.acquire() as conn:
        pools = await store.pools(conn)
    published = []
    for p in pools:
        period = domain.last_finished_period(at, period_length(p, config), zone)
        if period.end <= p.first_seen_at:
            continue
        async with pool.acquire() as conn, conn.transaction():
            digest = await publish(conn, p.id, period)
        if digest is not None:
            published.append(digest.id)
            log.info("digest published", pool_id=p.id, period_start=period.start.isoformat())
    return published


async def run(pool: asyncpg.Pool, config: RecognitionConfig, zone: ZoneInfo) -> None:
    """The schedule: look for finished periods every `digest_check_seconds`, on every replica."""
    while True:
        try:
            await publish_due(pool, config, zone, datetime.now(UTC))
        except (asyncpg.PostgresError, OSError) as exc:
            log.warning("digest run failed; retrying", error=str(exc))
        await asyncio.sleep(config.digest_check_seconds)


async def view(conn: Conn, viewer: Caller, digest: records.Digest) -> DigestView:
    """The digest with its highlights as they are now (a kudos hidden since drops out)."""
    highlights = await store.kudos_by_ids(conn, list(digest.highlight_kudos_ids))
    return digest_view(digest, await wall.present(conn, highlights, viewer))


async def of_pool(conn: Conn, viewer: Caller, pool_id: str, limit: int) -> list[DigestView]:
    return [await view(conn, viewer, d) for d in await store_work.digests_of(conn, pool_id, limit)]


async def one(conn: Conn, viewer: Caller, digest_id: UUID) -> DigestView:
    digest = await store_work.get_digest(conn, digest_id)
    if digest is None:
        raise NotFound("no such digest")
    return await view(conn, viewer, digest)
